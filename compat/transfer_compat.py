"""The official Globus SDK's TransferClient against the embedded transfer service.

Run by `backend/server/tests/api/compat.rs` (part of `make test`) against a real deployment,
with the Transfer token the portal holds for a signed-in researcher. It browses the catalog
and runs the sample portal notebook's share workflow on the researcher's own collection: make a
directory, share it as an endpoint, grant another identity access, take it all back, and delete
the directory with a delete task; then it cancels a copy of a file too big to finish (the test put
a 64 GiB sparse `huge.bin` in the researcher's collection). Every check is a `check` (which
`python -O` does not strip, as it would an assert): any failure exits non-zero with the reason.
"""

import os

import globus_sdk
from check import CheckFailed, check

TOKEN = os.environ["MRDP_TRANSFER_TOKEN"]
CATALOG = os.environ["MRDP_CATALOG_ID"]
HOME = os.environ["MRDP_HOME_ID"]
DATA_URL = os.environ["MRDP_DATA_URL"].rstrip("/")
COLLEAGUE = "b0b0b0b0-0000-4000-8000-000000000000"


def expect_error(call, status, code):
    try:
        call()
    except globus_sdk.TransferAPIError as error:
        check((error.http_status, error.code) == (status, code), (error.http_status, error.code))
        return error
    raise CheckFailed("expected %s %s" % (status, code))


tc = globus_sdk.TransferClient(authorizer=globus_sdk.AccessTokenAuthorizer(TOKEN))

# Browsing the catalog.
catalog = tc.get_endpoint(CATALOG)
check(catalog["DATA_TYPE"] == "endpoint", catalog)
check(catalog["https_server"] == "%s/%s" % (DATA_URL, CATALOG), catalog["https_server"])
found = tc.endpoint_search("catalog", filter_scope="all")
check(CATALOG in [ep["id"] for ep in found], list(found))
names = [entry["name"] for entry in tc.operation_ls(CATALOG, path="/~/ceu/")]
check("1930.csv" in names, names)
hidden = [entry["name"] for entry in tc.operation_ls(CATALOG, path="/sea/", show_hidden=False)]
check(all(not name.startswith(".") for name in hidden), hidden)
stat = tc.operation_stat(CATALOG, path="/ceu/1930.csv")
check((stat["type"], stat["name"]) == ("file", "1930.csv"), stat)
expect_error(lambda: tc.operation_ls(CATALOG, path="/ceu/no-such-year/"), 404, "ClientError.NotFound")
# The catalog shares each dataset's folder, not its root.
expect_error(lambda: tc.operation_ls(CATALOG, path="/"), 403, "EndpointPermissionDenied")
expect_error(lambda: tc.operation_mkdir(CATALOG, path="/mine/"), 403, "EndpointPermissionDenied")
print("globus-sdk TransferClient: browsing ok")

# The notebook's share workflow, on the researcher's own collection.
tc.operation_mkdir(HOME, path="/~/share/")
# 502 with an ExternalError code: the SDK must not retry it, and clients swallow it.
expect_error(lambda: tc.operation_mkdir(HOME, path="/~/share/"), 502, "ExternalError.MkdirFailed.Exists")
share_id = tc.create_shared_endpoint(
    {
        "DATA_TYPE": "shared_endpoint",
        "host_endpoint": HOME,
        "host_path": "/~/share/",
        "display_name": "Shared dataset",
        "description": "made by the compatibility test",
    }
)["id"]
share = tc.get_endpoint(share_id)
check((share["host_endpoint_id"], share["host_path"]) == (HOME, "/share/"), share.data)
rule_id = tc.add_endpoint_acl_rule(
    share_id,
    {
        "DATA_TYPE": "access",
        "principal_type": "identity",
        "principal": COLLEAGUE,
        "path": "/",
        "permissions": "r",
    },
)["access_id"]
check(rule_id in [rule["id"] for rule in tc.endpoint_acl_list(share_id)])
check(tc.get_endpoint_acl_rule(share_id, rule_id)["principal"] == COLLEAGUE)
tc.update_endpoint_acl_rule(share_id, rule_id, {"DATA_TYPE": "access", "permissions": "rw"})
check(tc.get_endpoint_acl_rule(share_id, rule_id)["permissions"] == "rw")
tc.delete_endpoint_acl_rule(share_id, rule_id)
check(list(tc.endpoint_acl_list(share_id)) == [])
tc.delete_endpoint(share_id)
expect_error(lambda: tc.get_endpoint(share_id), 404, "ClientError.NotFound")
tc.operation_rename(HOME, "/~/share/", "/~/shared/")
check("shared" in [entry["name"] for entry in tc.operation_ls(HOME, path="/~/")])
print("globus-sdk TransferClient: share workflow ok")

# A transfer task: a file and a directory of the catalog into the researcher's collection.
copy = globus_sdk.TransferData(CATALOG, HOME, label="my copy", sync_level="checksum", verify_checksum=True)
copy.add_item("/ceu/1930.csv", "/~/ceu-1930.csv")
copy.add_item("/lga/", "/~/lga/", recursive=True)
submitted = tc.submit_transfer(copy)
check(submitted["code"] == "Accepted", submitted.data)
check(tc.task_wait(submitted["task_id"], timeout=60, polling_interval=1), "the transfer did not finish")
task = tc.get_task(submitted["task_id"])
check((task["status"], task["type"]) == ("SUCCEEDED", "TRANSFER"), task.data)
check(task["files_transferred"] == task["files"] > 1 and task["bytes_checksummed"] == task["bytes_transferred"], task.data)
copied = sorted(f["destination_path"] for f in tc.task_successful_transfers(submitted["task_id"]))
check("/~/ceu-1930.csv" in copied or "/ceu-1930.csv" in copied, copied)
size = lambda endpoint, path: tc.operation_stat(endpoint, path=path)["size"]
check(size(HOME, "/~/ceu-1930.csv") == size(CATALOG, "/ceu/1930.csv"))
print("globus-sdk TransferClient: transfer task ok")

# A delete task, waited for as the SDK waits (task_wait polls until the status is not ACTIVE).
delete = globus_sdk.DeleteData(HOME, label="tidy up", recursive=True)
delete.add_item("/~/shared/")
submitted = tc.submit_delete(delete)
check(submitted["code"] == "Accepted", submitted.data)
task_id = submitted["task_id"]
check(tc.task_wait(task_id, timeout=30, polling_interval=1), "the delete did not finish")
task = tc.get_task(task_id)
check((task["status"], task["type"], task["label"]) == ("SUCCEEDED", "DELETE", "tidy up"), task.data)
check(task_id in [t["task_id"] for t in tc.task_list()])
check("SUCCEEDED" in [event["code"] for event in tc.task_event_list(task_id)])
check("shared" not in [entry["name"] for entry in tc.operation_ls(HOME, path="/~/")])
again = globus_sdk.DeleteData(HOME, submission_id=submitted["submission_id"])
again.add_item("/~/shared/")
check(tc.submit_delete(again)["code"] == "Duplicate")
print("globus-sdk TransferClient: delete task ok")

# Cancel: a verified copy of 64 GiB is still running when it is canceled, and stops.
too_big = globus_sdk.TransferData(HOME, HOME, label="too big", verify_checksum=True)
too_big.add_item("/~/huge.bin", "/~/huge-copy.bin")
task_id = tc.submit_transfer(too_big)["task_id"]
check(tc.get_task(task_id)["status"] == "ACTIVE")
canceled = tc.cancel_task(task_id)
check(canceled["code"] == "Canceled", canceled.data)
check(tc.task_wait(task_id, timeout=30, polling_interval=1), "the canceled task did not stop")
task = tc.get_task(task_id)
check((task["status"], task["fatal_error"]["code"]) == ("FAILED", "CANCELED"), task.data)
check("huge-copy.bin" not in [entry["name"] for entry in tc.operation_ls(HOME, path="/~/")])
check(tc.cancel_task(task_id)["code"] == "TaskComplete")
print("globus-sdk TransferClient: cancel ok")
