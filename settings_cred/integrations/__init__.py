"""Framework integrations: ``settings_cred.integrations.django``, ``.flask`` and ``.fastapi``.

Each is imported only when used, so the frameworks stay optional dependencies.
"""
