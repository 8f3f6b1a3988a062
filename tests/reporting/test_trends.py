"""Trends by week: the figures come from the graded records in the manager's scope, and the
chart tells its lines apart without colour (dash and marker), with every text escaped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.charts import Series, line_chart
from reporting.scope import scope_for
from reporting.trends import WEEKS, team_trend
from tests.factories import AttemptFactory, QuizFactory

pytestmark = pytest.mark.django_db


def test_the_chart_tells_lines_apart_without_colour():
    svg = line_chart(
        ["01/12", "08/12"],
        [Series("A <b>", [10, 50]), Series("B", [None, 70])],
        title="Taxa & semana",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'stroke-dasharray="6 4"' in svg  # the second line is dashed
    assert "<circle" in svg and "<rect" in svg  # and has its own marker
    assert "<b>" not in svg and "A &lt;b&gt;" in svg and "Taxa &amp; semana" in svg


def test_the_week_counts_every_graded_attempt_and_the_first_tries(trainee, team, manager):
    quiz = QuizFactory()
    now = timezone.now()
    last_week = now - timedelta(days=7)
    for number, passed in ((1, False), (2, True)):
        AttemptFactory(
            quiz=quiz,
            user=trainee,
            number=number,
            status="submitted",
            passed=passed,
            score=90 if passed else 40,
            submitted_at=last_week,
        )
    weeks = team_trend(scope_for(manager), now)
    assert len(weeks) == WEEKS
    week = next(w for w in weeks if w.graded)
    assert (week.graded, week.passed, week.first_try) == (2, 50.0, 0.0)
    assert weeks[-1].start <= timezone.localdate(now)


def test_the_dashboard_shows_the_trend_with_its_figures(manager_client):
    page = manager_client.get(reverse("reporting:dashboard")).content.decode()
    assert 'aria-labelledby="trend-heading"' in page and "<svg" in page
