"""A graph job's RO-Crate, read by ro-crate-py (a reader nobody here wrote) and checked against the
bytes beside it.

Usage: ro_crate_check.py <job folder> <input-url>=<sha256> ...

The job folder holds the charts and the `ro-crate-metadata.json` that backend/graph/src/
provenance.rs writes. The crate must load (offline: the folder is read, nothing is fetched); every
local file it lists must be in the folder with the `contentSize` and `sha256` the script computes
from its bytes; the remote inputs must be exactly the URLs given, each with the SHA-256 given; one
CreateAction must take those inputs (besides its parameters) to those files, with a
SoftwareApplication with a version as its instrument. Every check is a `check` (which `python -O`
does not strip, as it would an assert). Prints `{"files": N, "inputs": M}` and exits 0, or exits 1
with the reason on stderr.
"""

import hashlib
import json
import sys
from pathlib import Path

from check import CheckFailed, check
from rocrate.rocrate import ROCrate
from rocrate.utils import as_list, is_url


def types(entity):
    """The entity's `@type`s, as a set (a crate may give one type or a list)."""
    return set(as_list(entity.type))


def ids(entities):
    """The `@id`s of a property's values (entities, or bare ids the crate does not describe)."""
    return {e.id if hasattr(e, "id") else str(e) for e in as_list(entities or [])}


def main(folder, expected_inputs):
    folder = Path(folder)
    try:
        crate = ROCrate(folder)
    except Exception as error:  # a missing, malformed or non-conforming crate
        raise CheckFailed("the crate in %s does not load: %r" % (folder, error))

    # Local files: every data entity (reached from the root's hasPart) that is not a URL.
    local = [e for e in crate.data_entities if not is_url(e.id)]
    for entity in local:
        check("File" in types(entity), entity.id, "is a local data entity but not a File:", entity.type)
        path = folder / entity.id
        check(path.is_file(), entity.id, "is listed but not in", folder)
        data = path.read_bytes()
        check(str(entity.get("contentSize")) == str(len(data)),
              entity.id, "contentSize", entity.get("contentSize"), "!= its", len(data), "bytes")
        digest = hashlib.sha256(data).hexdigest()
        check(entity.get("sha256") == digest, entity.id, "sha256", entity.get("sha256"), "!=", digest)

    # Remote inputs: the crate's Files identified by a URL, whether it lists them as data entities
    # (in hasPart) or as contextual ones (provenance.rs leaves them out of hasPart).
    remote = {e.id: e for e in crate.get_entities() if is_url(e.id) and "File" in types(e)}
    check(set(remote) == set(expected_inputs),
          "the crate's inputs", sorted(remote), "!= the ones given", sorted(expected_inputs))
    for url, sha256 in expected_inputs.items():
        check(remote[url].get("sha256") == sha256, url, "sha256", remote[url].get("sha256"), "!=", sha256)

    # The action: its object is the inputs (and PropertyValue parameters), its result the local
    # files, its instrument the software with a version.
    def links(action):
        objects = as_list(action.get("object") or [])
        parameters = {e.id for e in objects if hasattr(e, "type") and "PropertyValue" in types(e)}
        return ids(objects) - parameters, ids(action.get("result"))

    actions = crate.get_by_type("CreateAction")
    linking = [a for a in actions if links(a) == (set(remote), {e.id for e in local})]
    check(len(linking) == 1, "no single CreateAction from", sorted(remote), "to", sorted(e.id for e in local),
          "among", [(a.id, links(a)) for a in actions])
    software = as_list(linking[0].get("instrument") or [])
    check(any(hasattr(s, "type") and "SoftwareApplication" in types(s) and s.get("version") for s in software),
          linking[0].id, "has no SoftwareApplication with a version as its instrument:", software)

    return {"files": len(local), "inputs": len(remote)}


def parse_inputs(arguments):
    """`<url>=<sha256>` arguments as a dict; the last `=` splits (a URL may hold one)."""
    inputs = {}
    for argument in arguments:
        url, sep, sha256 = argument.rpartition("=")
        check(sep and is_url(url) and url not in inputs, "not a new <input-url>=<sha256>:", argument)
        inputs[url] = sha256.lower()
    return inputs


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        print(json.dumps(main(sys.argv[1], parse_inputs(sys.argv[2:]))))
    except CheckFailed as failed:
        sys.exit("ro_crate_check: %s" % failed)
