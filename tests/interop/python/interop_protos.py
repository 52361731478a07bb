"""Loads the grpc.testing message classes for the interop scripts.

The classes are generated with `protoc --python_out` at run time (nothing generated
is committed). Only empty.proto and messages.proto are needed: methods are called
by path, so test.proto's service descriptors are never used. The generated files
live under grpc/testing/, which would shadow the grpcio package if put on sys.path,
so they are loaded from their file paths under private module names instead.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

DEFAULT_PROTO_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)),
                 "..", "..", "Transmission.Testing", "Protos"))

_PROTOS = ("grpc/testing/empty.proto", "grpc/testing/messages.proto")


def generate(proto_dir, out_dir):
    """Runs protoc for empty.proto and messages.proto into out_dir."""
    protoc = shutil.which("protoc")
    if protoc is None:
        raise RuntimeError("protoc not found on PATH (apt-get install protobuf-compiler)")
    os.makedirs(out_dir, exist_ok=True)
    result = subprocess.run(
        [protoc, "-I", proto_dir, "--python_out=" + out_dir, *_PROTOS],
        capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError("protoc failed (%d): %s" % (result.returncode, result.stderr.strip()))


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load(generated_dir=None, proto_dir=DEFAULT_PROTO_DIR):
    """Returns (empty_pb2, messages_pb2).

    generated_dir: a folder already holding grpc/testing/*_pb2.py (the test harness
    generates once per run); when None, protoc runs into a fresh temporary folder.
    """
    if generated_dir is None:
        generated_dir = tempfile.mkdtemp(prefix="interop-pb2-")
        generate(proto_dir, generated_dir)
    base = os.path.join(generated_dir, "grpc", "testing")
    empty_pb2 = _load(os.path.join(base, "empty_pb2.py"), "interop_pb.empty_pb2")
    messages_pb2 = _load(os.path.join(base, "messages_pb2.py"), "interop_pb.messages_pb2")
    return empty_pb2, messages_pb2


def status_code_from_int(grpc_module, value):
    """Maps a numeric gRPC status code to grpc.StatusCode."""
    for code in grpc_module.StatusCode:
        if code.value[0] == value:
            return code
    raise ValueError("unknown status code %d" % value)


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


if __name__ == "__main__":
    # `python3 interop_protos.py OUT_DIR [PROTO_DIR]`: generate once for a test run.
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: interop_protos.py OUT_DIR [PROTO_DIR]\n")
        sys.exit(2)
    generate(sys.argv[2] if len(sys.argv) == 3 else DEFAULT_PROTO_DIR, sys.argv[1])
