"""Query lookups that keep a hostile value from reaching the database driver."""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``__in`` on an integer column that leaves out values no such column can hold.

    Django (5.0+) does this for ``exact``, ``gt`` and friends, not for ``in``: an id of 2**63
    sent to a form's multiple choice (``ModelMultipleChoiceField`` filters ``pk__in``) raised
    OverflowError from SQLite's driver, a 500. Such a value matches no row on any database.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if len(kept) != len(self.rhs):
                if not kept:
                    raise EmptyResultSet
                self.rhs = kept
        return super().process_rhs(compiler, connection)
