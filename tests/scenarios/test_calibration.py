"""The grader agrees with the held-back calibration replies of every typed step (at least 95 %
each), and the report fails a step that does not, or that has too few replies."""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

CALIBRATION = Path(__file__).resolve().parent.parent / "calibration"


def test_every_typed_step_of_the_pack_agrees_with_its_calibration_set(capsys):
    call_command("chat_calibration")
    report = capsys.readouterr().out
    assert "Overall:" in report
    steps = [line for line in report.splitlines() if " agree (" in line]
    assert len(steps) >= 6  # three chat calls, two typed steps each at least


def test_the_set_written_without_seeing_the_phrasings_agrees_too(capsys):
    """``blind/`` was written from the manual, the customer's lines and the concept labels only
    (its first run agreed on 136 of 144 replies; the grader and phrasings were then improved in
    general terms, never for one sentence)."""
    call_command("chat_calibration", dir=CALIBRATION / "blind")
    assert "Overall:" in capsys.readouterr().out


def test_a_set_the_grader_disagrees_with_fails_the_report(tmp_path):
    source = yaml.safe_load((CALIBRATION / "chat-promessa-pagamento.yaml").read_text())
    for step in source["steps"]:
        step["correct"], step["incorrect"] = step["incorrect"], step["correct"]
    (tmp_path / "chat-promessa-pagamento.yaml").write_text(
        yaml.safe_dump(source, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="agreement"):
        call_command("chat_calibration", dir=tmp_path)


def test_a_step_with_too_few_replies_or_none_fails_the_report(tmp_path):
    source = yaml.safe_load((CALIBRATION / "chat-portabilidade.yaml").read_text())
    source["steps"][0]["correct"] = source["steps"][0]["correct"][:3]
    del source["steps"][1]
    (tmp_path / "chat-portabilidade.yaml").write_text(
        yaml.safe_dump(source, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(CommandError) as failed:
        call_command("chat_calibration", dir=tmp_path)
    message = str(failed.value)
    assert "needs at least 10 correct" in message
    assert "has no calibration set" in message
    assert "chat-promessa-pagamento: a call with typed steps has no calibration file" in message
