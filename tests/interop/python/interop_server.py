#!/usr/bin/python3
"""grpc.testing TestService server on Python grpcio, mutual TLS required.

Implements the server features of grpc/grpc doc/interop-test-descriptions.md used by
the client cases (EmptyCall, UnaryCall, StreamingInputCall, StreamingOutputCall,
FullDuplexCall, HalfDuplexCall, Echo Status, Echo Metadata, interval_us). It serves
nothing for TestService/UnimplementedCall or UnimplementedService, so grpcio answers
UNIMPLEMENTED for them.

With `--port 0` the bound port is printed as the first stdout line (`PORT n`). The
server stops on SIGTERM/SIGINT and, with `--exit-on-stdin-eof`, when stdin reaches end
of file (so it never outlives the test process that started it).

Run with Debian's interpreter (/usr/bin/python3), which has python3-grpcio.
"""

import argparse
import signal
import sys
import threading
import time
from concurrent import futures

try:
    import grpc
except ImportError:
    sys.stderr.write("grpcio is not importable by %s (apt-get install python3-grpcio)\n"
                     % sys.executable)
    sys.exit(2)

import interop_protos

INITIAL_METADATA_KEY = "x-grpc-test-echo-initial"
TRAILING_METADATA_KEY = "x-grpc-test-echo-trailing-bin"


class TestService:
    def __init__(self, pb):
        self.empty_pb2, self.messages = pb

    def _payload(self, size):
        return self.messages.Payload(body=b"\x00" * size)

    @staticmethod
    def _echo_metadata(context):
        metadata = context.invocation_metadata()
        initial = tuple((k, v) for k, v in metadata if k == INITIAL_METADATA_KEY)
        trailing = tuple((k, v) for k, v in metadata if k == TRAILING_METADATA_KEY)
        if initial:
            context.send_initial_metadata(initial)
        if trailing:
            context.set_trailing_metadata(trailing)

    @staticmethod
    def _echo_status(request, context):
        """Ends the call with request.response_status when one is set (Echo Status)."""
        if request.HasField("response_status") and request.response_status.code != 0:
            code = interop_protos.status_code_from_int(grpc, request.response_status.code)
            context.abort(code, request.response_status.message)

    def empty_call(self, request, context):
        return self.empty_pb2.Empty()

    def unary_call(self, request, context):
        self._echo_metadata(context)
        self._echo_status(request, context)
        if request.response_type != self.messages.COMPRESSABLE:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "unsupported response_type")
        return self.messages.SimpleResponse(payload=self._payload(request.response_size))

    def streaming_input_call(self, request_iterator, context):
        total = sum(len(request.payload.body) for request in request_iterator)
        return self.messages.StreamingInputCallResponse(aggregated_payload_size=total)

    def _responses(self, request, context):
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1e6)
            if not context.is_active():
                return
            yield self.messages.StreamingOutputCallResponse(payload=self._payload(parameters.size))

    def streaming_output_call(self, request, context):
        self._echo_status(request, context)
        yield from self._responses(request, context)

    def full_duplex_call(self, request_iterator, context):
        self._echo_metadata(context)
        for request in request_iterator:
            self._echo_status(request, context)
            yield from self._responses(request, context)

    def half_duplex_call(self, request_iterator, context):
        self._echo_metadata(context)
        requests = list(request_iterator)
        for request in requests:
            self._echo_status(request, context)
            yield from self._responses(request, context)

    def handler(self):
        m = self.messages
        e = self.empty_pb2
        duplex = dict(request_deserializer=m.StreamingOutputCallRequest.FromString,
                      response_serializer=m.StreamingOutputCallResponse.SerializeToString)
        return grpc.method_handlers_generic_handler("grpc.testing.TestService", {
            "EmptyCall": grpc.unary_unary_rpc_method_handler(
                self.empty_call, request_deserializer=e.Empty.FromString,
                response_serializer=e.Empty.SerializeToString),
            "UnaryCall": grpc.unary_unary_rpc_method_handler(
                self.unary_call, request_deserializer=m.SimpleRequest.FromString,
                response_serializer=m.SimpleResponse.SerializeToString),
            "StreamingInputCall": grpc.stream_unary_rpc_method_handler(
                self.streaming_input_call,
                request_deserializer=m.StreamingInputCallRequest.FromString,
                response_serializer=m.StreamingInputCallResponse.SerializeToString),
            "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
                self.streaming_output_call, **duplex),
            "FullDuplexCall": grpc.stream_stream_rpc_method_handler(self.full_duplex_call, **duplex),
            "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(self.half_duplex_call, **duplex),
        })


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    parser.add_argument("--ca", required=True, help="PEM root(s) that sign client certificates")
    parser.add_argument("--cert", required=True, help="PEM server certificate")
    parser.add_argument("--key", required=True, help="PEM server private key")
    parser.add_argument("--generated-dir", default=None,
                        help="folder with protoc-generated grpc/testing/*_pb2.py; generated when omitted")
    parser.add_argument("--proto-dir", default=interop_protos.DEFAULT_PROTO_DIR)
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="stop when stdin is closed (used by the test harness)")
    args = parser.parse_args(argv)

    pb = interop_protos.load(args.generated_dir, args.proto_dir)
    credentials = grpc.ssl_server_credentials(
        [(interop_protos.read_file(args.key), interop_protos.read_file(args.cert))],
        root_certificates=interop_protos.read_file(args.ca),
        require_client_auth=True)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((TestService(pb).handler(),))
    port = server.add_secure_port("%s:%d" % (args.host, args.port), credentials)
    if port == 0:
        sys.stderr.write("could not bind %s:%d\n" % (args.host, args.port))
        return 2
    server.start()
    print("PORT %d" % port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def wait_for_stdin_eof():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            stop.set()

    if args.exit_on_stdin_eof:
        threading.Thread(target=wait_for_stdin_eof, daemon=True).start()
    stop.wait()
    server.stop(grace=1).wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
