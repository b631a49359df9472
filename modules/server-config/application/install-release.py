#!/usr/bin/python3
"""Install the application release named in a release file (KEY=VALUE lines):
RELEASE_BUCKET, RELEASE_KEY, RELEASE_SHA256, RELEASE_REGION, RELEASE_ROOT.

Downloads the .tar.gz from S3 with the instance role, refuses it unless its
SHA-256 matches, unpacks it into RELEASE_ROOT/releases/<sha256> (root-owned,
read-only for the app user) and points RELEASE_ROOT/current at it. A release
already unpacked and verified is not downloaded again, so a restart works
while S3 is unreachable. Anything refused leaves `current` as it was.
Runs as root before the service starts (systemd ExecStartPre=+).
"""
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile

VERIFIED_MARK = ".platform-release-verified"


def log(message):
    print(f"platform-app-install: {message}", file=sys.stderr, flush=True)


def read_release(path):
    values = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, value = line.partition("=")
                values[name] = value
    missing = [n for n in ("RELEASE_BUCKET", "RELEASE_KEY", "RELEASE_SHA256", "RELEASE_REGION", "RELEASE_ROOT") if not values.get(n)]
    if missing:
        raise SystemExit(f"platform-app-install: {path} lacks {', '.join(missing)}")
    return values


def download(release, target):
    import boto3  # python3-boto3 (Debian); imported late so a verified release needs no AWS at all

    # AWS_ENDPOINT_URL_S3 is the SDKs' standard override; Debian's boto3 predates reading it itself.
    s3 = boto3.client("s3", region_name=release["RELEASE_REGION"], endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3") or None)
    digest = hashlib.sha256()
    body = s3.get_object(Bucket=release["RELEASE_BUCKET"], Key=release["RELEASE_KEY"])["Body"]
    with open(target, "wb") as out:
        for chunk in iter(lambda: body.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def safe_members(archive, destination):
    """Refuse links, devices and paths that leave the release directory."""
    root = os.path.realpath(destination)
    for member in archive.getmembers():
        path = os.path.realpath(os.path.join(root, member.name))
        if not (member.isfile() or member.isdir()) or os.path.commonpath([root, path]) != root:
            raise SystemExit(f"platform-app-install: refused archive member {member.name!r} (only files and directories inside the release)")
        member.uid = member.gid = 0
        member.uname = member.gname = "root"
        member.mode = (member.mode | 0o444 | (0o111 if member.isdir() or member.mode & 0o100 else 0)) & 0o755
        yield member


def main(argv):
    release = read_release(argv[1] if len(argv) > 1 else "/etc/platform/release.conf")
    root, expected = release["RELEASE_ROOT"], release["RELEASE_SHA256"].lower()
    releases = os.path.join(root, "releases")
    final = os.path.join(releases, expected)
    os.makedirs(releases, mode=0o755, exist_ok=True)
    if not os.path.exists(os.path.join(final, VERIFIED_MARK)):
        workdir = tempfile.mkdtemp(dir=releases, prefix=".incoming-")
        try:
            archive_path = os.path.join(workdir, "release.tar.gz")
            actual = download(release, archive_path)
            if actual != expected:
                log(f"refused s3://{release['RELEASE_BUCKET']}/{release['RELEASE_KEY']}: SHA-256 {actual}, expected {expected}")
                return 1
            unpacked = os.path.join(workdir, "release")
            os.mkdir(unpacked, 0o755)
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(unpacked, members=list(safe_members(archive, unpacked)))
            open(os.path.join(unpacked, VERIFIED_MARK), "w").close()
            shutil.rmtree(final, ignore_errors=True)
            os.rename(unpacked, final)
        except SystemExit as refusal:
            log(str(refusal).removeprefix("platform-app-install: "))
            return 1
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    link = os.path.join(root, "current")
    staging = f"{link}.new"
    if os.path.lexists(staging):
        os.unlink(staging)
    os.symlink(final, staging)
    os.replace(staging, link)
    log(f"release {expected} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
