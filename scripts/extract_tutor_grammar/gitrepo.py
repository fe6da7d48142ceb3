"""Read-only access to a bare git repository: refs, trees and blobs at a tag, branch or commit."""

from __future__ import annotations

import re
import subprocess

VERSION_TAG = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


class GitError(Exception):
    pass


class Repo:
    def __init__(self, path):
        self.path = path
        self._batch = None
        self._trees = {}
        self.git("rev-parse", "--git-dir")

    def git(self, *args):
        result = subprocess.run(["git", "-C", self.path, *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise GitError("git %s in %s failed: %s" % (" ".join(args), self.path, result.stderr.strip()))
        return result.stdout

    def commit(self, ref):
        return self.git("rev-parse", "--verify", "--quiet", ref + "^{commit}").strip()

    def has_ref(self, ref):
        result = subprocess.run(["git", "-C", self.path, "rev-parse", "--verify", "--quiet", ref + "^{commit}"],
                                capture_output=True, text=True, check=False)
        return result.returncode == 0

    def version_tags(self):
        """Tags vX.Y.Z as (version tuple, tag name), sorted by version."""
        tags = []
        for line in self.git("tag", "--list").splitlines():
            m = VERSION_TAG.match(line.strip())
            if m:
                tags.append((tuple(int(x) for x in m.groups()), line.strip()))
        return sorted(tags)

    def files(self, commit):
        """{path: blob id} of every file at a commit."""
        if commit not in self._trees:
            out = self.git("ls-tree", "-r", "-z", commit)
            files = {}
            for entry in out.split("\0"):
                if not entry:
                    continue
                meta, path = entry.split("\t", 1)
                mode, kind, blob = meta.split()
                if kind == "blob":
                    files[path] = blob
            self._trees[commit] = files
        return self._trees[commit]

    def read(self, commit, path):
        blob = self.files(commit).get(path)
        if blob is None:
            return None
        return self.blob(blob)

    def blob(self, blob_id):
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "-C", self.path, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE)
        self._batch.stdin.write((blob_id + "\n").encode())
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().decode()
        parts = header.split()
        if len(parts) < 3 or parts[1] != "blob":
            raise GitError("cannot read blob %s in %s: %s" % (blob_id, self.path, header.strip()))
        size = int(parts[2])
        data = self._batch.stdout.read(size)
        self._batch.stdout.read(1)
        return data.decode("utf-8", errors="replace")

    def log_paths(self, path):
        """Every commit (all refs, oldest first) that changed a path."""
        out = self.git("log", "--all", "--reverse", "--format=%H", "--", path)
        return [line for line in out.splitlines() if line]

    def close(self):
        if self._batch is not None:
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None
