"""The token core: front cache, refresh timing, background refresh, tenant rules, sign-ins, lockout guard.

Both credential shells (sync and async) drive one :class:`TokenCore`; nothing here knows which shell
called it.
"""
