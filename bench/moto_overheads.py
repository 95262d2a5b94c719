"""moto's own costs that DynamoDB does not have, and that grow with the table, taken out for in-process benchmarks.

Before every transaction moto deep-copies the whole table (to roll back a cancelled one): local/moto_fixes.py,
which the local stack applies, replaces that with saving and restoring only the items the transaction
touches. Every attribute written also re-sums the item's size (the 400 KB check); the items here are about
1 KB, so that check is switched off. Without these a benchmark measures moto, not the desk.
"""


def without_motos_own_overheads() -> None:
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    from local import moto_fixes

    moto_fixes.apply()
    LimitedSizeDict.__setitem__ = dict.__setitem__
