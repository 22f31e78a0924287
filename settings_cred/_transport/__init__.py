"""The transport: our azure-core pipeline, and the adapter that lets msal send through it."""
