"""The credential classes (the sync shells) and what they share with the async shells in ``aio``."""
