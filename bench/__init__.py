"""Side-by-side benchmarks of settings_cred and azure-identity against the local Entra emulator."""
