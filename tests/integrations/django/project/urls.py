"""Routes: two readiness views (URL kwargs and the factory) and a view that uses a credential."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from settings_cred.integrations.django import credentials
from settings_cred.integrations.django.views import readiness, readiness_view

VAULT_SCOPE = "https://vault.azure.net/.default"


def token_expiry(request: HttpRequest, alias: str) -> JsonResponse:
    """The expiry of a Key Vault token from ``credentials[alias]`` (never the token)."""
    return JsonResponse({"expires_on": credentials[alias].get_token_info(VAULT_SCOPE).expires_on})


urlpatterns = [
    path("token/<str:alias>", token_expiry),
    path("healthz/azure", readiness, {"alias": "default", "scopes": [VAULT_SCOPE]}),
    path("healthz/powerbi", readiness_view(alias="powerbi", scopes=[VAULT_SCOPE])),
]
