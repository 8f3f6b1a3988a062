"""``__in`` on integer columns leaves out values no row can hold.

Django already turns ``exact``, ``gt``, ``lt``... with an out-of-range integer into "no row"
(or "every row"); ``in`` is left out, and so are values that are not numbers at all. A tampered
form posting a 30-digit id or a word to a multiple choice of records (``pk__in``, the admin's
autocomplete) crashed with OverflowError or ValueError instead of matching nothing. No row has
such an id, so leaving it out of the list changes no answer."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset):
            self.rhs = [value for value in self.rhs if self._a_number(value)]
        return super().get_prep_lookup()

    def _a_number(self, value) -> bool:
        if value is None or hasattr(value, "resolve_expression"):
            return True  # the base lookup deals with these
        try:
            self.lhs.output_field.get_prep_value(value)
        except (ValueError, TypeError):
            return False
        return True

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


def _within(value, low, high) -> bool:
    try:
        number = int(value)
    except (ValueError, TypeError):
        return True  # None and expressions: the base lookup deals with them
    return (low is None or number >= low) and (high is None or number <= high)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
