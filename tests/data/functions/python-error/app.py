"""Raises: the invocation fails with errorType "ValueError"."""


def handler(event, context):
    raise ValueError("bad input: " + repr(event))
