"""The one writer (advisor/writer.py), through every command that writes: `-o`, `--receipt`, the
draft. A link is written through and stays a link; a device, a FIFO or a directory is refused with
exit status 2 and left as it was; a new file gets the permissions of the umask; no temporary file
is left behind. Device nodes are made in the test's own directory (as root), never /dev itself."""
import os
import stat
import time

import pytest

from advisor.cli import main
from advisor.errors import InputError
from advisor.paths import ROOT
from advisor.writer import write_file

EXAMPLE = ROOT / "examples" / "sportregio.yaml"


def run(args, capsys):
    start = time.monotonic()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err, time.monotonic() - start


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


WRITERS = [
    ["advise", EXAMPLE, "-o"],
    ["advise", EXAMPLE, "--format", "docx", "-o"],
    ["draft", EXAMPLE, "-o"],
    ["compare", EXAMPLE, "-o"],
    ["advise", EXAMPLE, "-o", "{tmp}/uit.txt", "--receipt"],
]


def command(args, target, tmp_path):
    return [str(a).replace("{tmp}", str(tmp_path)) for a in args] + [str(target)]


@pytest.mark.parametrize("args", WRITERS, ids=["advise", "advise-docx", "draft", "compare", "receipt"])
def test_a_link_is_written_through_and_stays_a_link(tmp_path, capsys, umask, args):
    target = tmp_path / "doel.txt"
    target.write_text("oud", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    code, _, err, _ = run(command(args, link, tmp_path), capsys)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() != b"oud" and target.stat().st_size > 100
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_dangling_link_creates_its_target(tmp_path, capsys, umask):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nieuw.txt")
    assert run(["advise", EXAMPLE, "-o", link], capsys)[0] == 0
    assert link.is_symlink() and "AANBEVOLEN RECHTSVORM" in (tmp_path / "nieuw.txt").read_text(encoding="utf-8")


def _device(tmp_path, name, major, minor):
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


@pytest.mark.parametrize("args", WRITERS, ids=["advise", "advise-docx", "draft", "compare", "receipt"])
@pytest.mark.parametrize("kind", ["null", "full", "fifo", "directory", "link-to-null"])
def test_a_device_a_fifo_or_a_directory_is_refused_and_left_alone(tmp_path, capsys, args, kind):
    if kind == "null":
        target = _device(tmp_path, "null", 1, 3)
    elif kind == "full":
        target = _device(tmp_path, "full", 1, 7)
    elif kind == "fifo":
        target = tmp_path / "pijp"
        os.mkfifo(target)
    elif kind == "directory":
        target = tmp_path / "map"
        target.mkdir()
    else:
        target = tmp_path / "link"
        target.symlink_to(_device(tmp_path, "null", 1, 3))
    before = os.stat(target).st_mode
    code, _, err, seconds = run(command(args, target, tmp_path), capsys)
    assert code == 2 and str(target) in err and ("map" in err or "apparaat" in err or "pijp" in err)
    assert os.stat(target).st_mode == before and not stat.S_ISREG(os.stat(target).st_mode)
    assert len(err) < 10_000 and seconds < 30
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_real_dev_null_is_refused_without_being_touched(capsys):
    before = os.stat("/dev/null")
    code, _, err, _ = run(["advise", EXAMPLE, "-o", "/dev/null"], capsys)
    assert code == 2 and "apparaatbestand" in err
    assert os.stat("/dev/null").st_rdev == before.st_rdev and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_honours_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_file(tmp_path / "nieuw.txt", "tekst")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "nieuw.txt").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_permissions_and_is_replaced_whole(tmp_path, umask):
    target = tmp_path / "oud.txt"
    target.write_text("oud", encoding="utf-8")
    target.chmod(0o640)
    write_file(target, b"nieuw")
    assert target.read_bytes() == b"nieuw" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["oud.txt"]


@pytest.mark.parametrize("where, named", [
    ("geen-map/uit.txt", "bestaat niet"), ("link-lus", "kan niet geschreven worden"),
])
def test_an_unwritable_place_is_a_dutch_error(tmp_path, where, named):
    if where == "link-lus":
        (tmp_path / "link-lus").symlink_to(tmp_path / "link-lus")
    with pytest.raises(InputError) as caught:
        write_file(tmp_path / where, "x")
    assert named in str(caught.value) and caught.value.exit_code == 2


def test_a_read_only_directory_is_a_dutch_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(InputError, match="kan niet geschreven worden"):
        write_file(folder / "x.txt", "x")


def test_the_rule_book_refuses_a_file_or_a_device_as_its_folder(tmp_path, capsys):
    afile = tmp_path / "bestand"
    afile.write_text("x", encoding="utf-8")
    for target, named in [(afile, "geen map"), (_device(tmp_path, "null", 1, 3), "geen map"),
                          (afile / "onder", "een deel van het pad is geen map")]:
        code, _, err, _ = run(["rulebook", "-o", target], capsys)
        assert code == 2 and named in err and "interne fout" not in err
    assert afile.read_text(encoding="utf-8") == "x"


def test_text_with_a_lone_surrogate_is_written_not_a_crash(tmp_path):
    write_file(tmp_path / "x.txt", "a\udc80b")
    assert (tmp_path / "x.txt").read_bytes() == b"a\\udc80b"
