"""The tests can see the app's error guard: a crashing section fails `no_errors`, and Streamlit's
control-flow signals still pass through the guard (they must not be caught as errors)."""
from __future__ import annotations

from unittest import mock

import pytest

from tests.conftest import app_test, no_errors


def test_no_errors_fails_on_a_guarded_crash():
    with mock.patch("components.lessons.render", side_effect=RuntimeError("boom")):
        at = app_test("pages/4_lessons.py")
    with pytest.raises(AssertionError):
        no_errors(at)


def test_streamlit_control_signals_are_not_exceptions():
    """The guard catches ``Exception``; rerun/stop/switch_page signals must derive from BaseException only.
    This is the one place that reads Streamlit's private module: it fails loudly if the class moves."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    for cls in (RerunException, StopException):
        assert issubclass(cls, BaseException) and not issubclass(cls, Exception)
