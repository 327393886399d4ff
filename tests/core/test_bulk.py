"""COPY of rows, converted a column at a time."""

import pytest

from meedoen.core.bulk import _column, copy_rows
from meedoen.privacy.models import AccessLog


def test_a_column_of_one_value_is_converted_once_but_equal_values_of_other_types_apart():
    calls = []

    def convert(value):
        calls.append(value)
        return repr(value)

    assert _column(convert, ("a", "a", "a")) == ["'a'"] * 3
    assert calls == ["a"]
    assert _column(convert, (1, True, 1.0)) == ["1", "True", "1.0"]


@pytest.mark.django_db
def test_a_row_without_a_value_for_every_field_is_refused():
    with pytest.raises(ValueError):
        copy_rows(AccessLog, ["username", "role"], [("anna", "professional"), ("kees",)])
    assert not AccessLog.objects.exists()
