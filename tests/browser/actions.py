"""What a person does that takes them to another page, done so the test reads the page they land on.

Playwright's click returns once the navigation it starts has begun; reading the page at that
moment can race the parser (an empty list of results, no focused element yet). Waiting for the
load event of the new page removes the race; a click that does not navigate returns at once.
"""

from typing import Any


def follow(page: Any, target: Any) -> None:
    """Click ``target`` (a selector or a locator on ``page``) and wait for the page it opens."""
    if isinstance(target, str):
        page.click(target)
    else:
        target.click()
    page.wait_for_load_state()
