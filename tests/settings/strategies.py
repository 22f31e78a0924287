"""Hypothesis strategies for the settings tests, kept in one place."""

from __future__ import annotations

from hypothesis import strategies as st

MARK = "\u00a7"
"""A character no message, repr or report of ours contains: secrets are wrapped in it."""

secrets = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=MARK), min_size=1, max_size=40
).map(lambda core: f"{MARK}{core}{MARK}")
"""Passwords that cannot be mistaken for any fixed text of ours."""

vault_names = st.from_regex(r"[a-z][a-z0-9]{1,10}(-[a-z0-9]{1,5})?[a-z0-9]", fullmatch=True).filter(
    lambda name: 3 <= len(name) <= 24
)
secret_names = st.from_regex(r"[A-Za-z0-9-]{1,40}", fullmatch=True)
versions = st.none() | st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
reference_like = st.builds(
    lambda head, body: f"{head}({body})",
    st.sampled_from(["@Microsoft.KeyVault", "@microsoft.keyvault", " @Microsoft.KeyVault"]),
    st.text(max_size=80),
)
"""Arbitrary text wearing a reference's head: the parser must reject or accept it, never crash."""
