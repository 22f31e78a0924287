"""On ``PYTHONPATH``, this makes a process look like a base install: no azure-identity, no azure-keyvault-secrets.

``sitecustomize`` runs at interpreter start-up; the finder below refuses the optional packages' imports
as if they were not installed (other imports go on as usual).
"""

import sys

ABSENT = ("azure.identity", "azure.keyvault")


class _Absent:
    """A meta-path finder that fails the imports of the optional Azure packages."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name in ABSENT or name.startswith(tuple(f"{package}." for package in ABSENT)):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, _Absent())
