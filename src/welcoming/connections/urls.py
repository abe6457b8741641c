from .workflow_urls import urlpatterns as workflow

app_name = "connections"

urlpatterns = [
    *workflow,
]
