"""A minimal Django project using the integration; the credential settings come from ``AZURE_*``."""

SECRET_KEY = "not-a-secret-only-for-tests"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = ["settings_cred.integrations.django"]
ROOT_URLCONF = "tests.integrations.django.project.urls"
USE_TZ = True
