"""`make run` (python -m loaders prepare) and `python -m loaders demo` load the demo only into an
empty store, whatever DATABASE_URL is; a store holding data keeps its accounts and rows."""
from __future__ import annotations

import csv

from sqlalchemy import select

from hub.accounts import set_password, verify_password
from hub.db import get_engine
from hub.models import Setting, User
from loaders.cli import main
from loaders.core import load_file


def _hash(engine, username):
    with engine.connect() as conn:
        return conn.execute(select(User.password_hash, User.demo_password)
                            .where(User.username == username)).one()


def _settings(engine):
    with engine.connect() as conn:
        return dict(conn.execute(select(Setting.key, Setting.value)).all())


def test_prepare_builds_the_demo_into_an_empty_store_then_never_again(empty_url, capsys):
    engine = get_engine(empty_url)
    assert main(["prepare", "--database-url", empty_url]) == 0
    assert _settings(engine)["demo"] == "1" and _settings(engine)["demo_build"] == "done"
    assert set_password("hub.admin", "a-real-password-2026", engine=engine)
    changed = _hash(engine, "hub.admin")
    assert verify_password(changed[0], "a-real-password-2026") and not changed[1]
    capsys.readouterr()
    for step in (["prepare"], ["prepare"], ["demo"]):               # make run twice, and the demo step
        assert main([*step, "--database-url", empty_url]) == 0
    assert _hash(engine, "hub.admin") == changed                        # still the changed password
    assert "nothing changed" in capsys.readouterr().err


def test_a_store_with_other_data_is_left_alone(empty_url, tmp_path, capsys):
    engine = get_engine(empty_url)
    path = tmp_path / "m.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "country"])
        w.writerow(["MK001", "Kumanovo", "MK"])
    load_file("municipalities", path, engine=engine, user="ana")
    with engine.connect() as conn:
        before = [tuple(r) for r in conn.execute(select(User)).all()], _settings(engine)

    assert main(["demo", "--database-url", empty_url]) == 1
    err = capsys.readouterr().err
    assert "holds data the demo did not create" in err and "nothing was changed" in err
    assert main(["demo", "--rebuild", "--database-url", empty_url]) == 1
    assert main(["prepare", "--database-url", empty_url]) == 0
    assert "holds data: left as it is" in capsys.readouterr().err
    with engine.connect() as conn:
        after = [tuple(r) for r in conn.execute(select(User)).all()], _settings(engine)
    assert after == before and "demo" not in after[1]


def test_demo_passwords_only_while_the_demo_builds_its_own_store(demo_copy):
    import pytest

    from loaders.demo import DemoRefused, set_demo_passwords
    engine = get_engine(demo_copy)
    set_password("hub.admin", "a-real-password-2026", engine=engine)
    with pytest.raises(DemoRefused):
        set_demo_passwords(engine)
    assert verify_password(_hash(engine, "hub.admin")[0], "a-real-password-2026")


def test_make_demo_rebuilds_a_demo_store(demo_copy):
    engine = get_engine(demo_copy)
    set_password("hub.admin", "a-real-password-2026", engine=engine)
    assert main(["demo", "--rebuild", "--database-url", demo_copy]) == 0
    assert verify_password(_hash(engine, "hub.admin")[0], "hub-demo-2026")     # a fresh demo
