"""The content security policy is on, and no page breaks it: no inline script, no style element,
nothing from elsewhere; Swagger UI works from the project's own static files."""

import pytest

from tests.slices import load_real_slice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the browser's own reports of what the policy blocked, before any script of the page.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def site(live_server) -> str:
    load_real_slice()
    return live_server.url


@pytest.fixture
def watched(page):
    """The page, with a list of the script errors and policy refusals its console reports (a
    missing resource, such as /favicon.ico, is not the policy's business)."""
    problems: list[str] = []

    def console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return page, problems


@pytest.mark.parametrize(
    "path", ["en/", "fr/communities/", "en/communities/535/", "en/framework/", "en/accounts/login/"]
)
def test_pages_break_no_rule_of_the_content_security_policy(site, watched, path: str) -> None:
    page, problems = watched
    response = page.goto(f"{site}/{path}", wait_until="networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_htmx_search_works_under_the_policy(site, watched) -> None:
    page, problems = watched
    page.goto(f"{site}/en/communities/")
    page.get_by_role("searchbox").fill("montreal")
    page.get_by_role("link", name="Montréal").first.wait_for()
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_swagger_ui_renders_from_local_files_under_the_policy(site, watched) -> None:
    page, problems = watched
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site}/api/v1/docs", wait_until="networkidle")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Welcoming API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 10
    assert all(url.startswith(site) for url in requested), requested
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
