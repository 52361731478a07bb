#!/usr/bin/python3
"""grpc.testing interop client on Python grpcio, over mutual TLS.

Runs the client procedures of grpc/grpc doc/interop-test-descriptions.md against a
TestService server and prints one line per case: `PASS case` or `FAIL case: reason`.
Exits 0 when every case passed, 1 otherwise, 2 on bad arguments or set-up errors.

Run with Debian's interpreter (/usr/bin/python3), which has python3-grpcio.
"""

import argparse
import queue
import sys
import traceback

try:
    import grpc
except ImportError:
    sys.stderr.write("grpcio is not importable by %s (apt-get install python3-grpcio)\n"
                     % sys.executable)
    sys.exit(2)

import interop_protos

TEST_SERVICE = "/grpc.testing.TestService/"
UNIMPLEMENTED_SERVICE = "/grpc.testing.UnimplementedService/"

INITIAL_METADATA_KEY = "x-grpc-test-echo-initial"
INITIAL_METADATA_VALUE = "test_initial_metadata_value"
TRAILING_METADATA_KEY = "x-grpc-test-echo-trailing-bin"
TRAILING_METADATA_VALUE = b"\xab\xab\xab"

# From the interop descriptions: request sizes pair with response sizes.
REQUEST_SIZES = (27182, 8, 1828, 45904)
RESPONSE_SIZES = (31415, 9, 2653, 58979)
LARGE_REQUEST_SIZE = 271828
LARGE_RESPONSE_SIZE = 314159

SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class CaseFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


class _Pipe:
    """A request iterator the test feeds one message at a time (for duplex calls)."""

    _END = object()

    def __init__(self):
        self._queue = queue.Queue()

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get()
        if item is self._END:
            raise StopIteration
        return item

    def add(self, item):
        self._queue.put(item)

    def close(self):
        self._queue.put(self._END)


class Client:
    def __init__(self, channel, pb, timeout):
        self.empty_pb2, self.messages = pb
        self.timeout = timeout
        m = self.messages
        e = self.empty_pb2
        self.empty_call = channel.unary_unary(
            TEST_SERVICE + "EmptyCall",
            request_serializer=e.Empty.SerializeToString,
            response_deserializer=e.Empty.FromString)
        self.unary_call = channel.unary_unary(
            TEST_SERVICE + "UnaryCall",
            request_serializer=m.SimpleRequest.SerializeToString,
            response_deserializer=m.SimpleResponse.FromString)
        self.streaming_output_call = channel.unary_stream(
            TEST_SERVICE + "StreamingOutputCall",
            request_serializer=m.StreamingOutputCallRequest.SerializeToString,
            response_deserializer=m.StreamingOutputCallResponse.FromString)
        self.streaming_input_call = channel.stream_unary(
            TEST_SERVICE + "StreamingInputCall",
            request_serializer=m.StreamingInputCallRequest.SerializeToString,
            response_deserializer=m.StreamingInputCallResponse.FromString)
        self.full_duplex_call = channel.stream_stream(
            TEST_SERVICE + "FullDuplexCall",
            request_serializer=m.StreamingOutputCallRequest.SerializeToString,
            response_deserializer=m.StreamingOutputCallResponse.FromString)
        self.unimplemented_method_call = channel.unary_unary(
            TEST_SERVICE + "UnimplementedCall",
            request_serializer=e.Empty.SerializeToString,
            response_deserializer=e.Empty.FromString)
        self.unimplemented_service_call = channel.unary_unary(
            UNIMPLEMENTED_SERVICE + "UnimplementedCall",
            request_serializer=e.Empty.SerializeToString,
            response_deserializer=e.Empty.FromString)

    # --- helpers -----------------------------------------------------------------

    def payload(self, size):
        return self.messages.Payload(body=b"\x00" * size)

    def check_payload(self, payload, size, what):
        check(len(payload.body) == size,
              "%s: payload body is %d bytes, expected %d" % (what, len(payload.body), size))
        check(payload.body.count(0) == size, "%s: payload body is not all zeros" % what)

    def streaming_request(self, response_size, request_size=0, status=None):
        m = self.messages
        request = m.StreamingOutputCallRequest(
            response_parameters=[m.ResponseParameters(size=response_size)]
            if response_size is not None else [],
            payload=self.payload(request_size))
        if status is not None:
            request.response_status.code = status[0]
            request.response_status.message = status[1]
        return request

    def expect_status(self, error, code, what):
        check(isinstance(error, grpc.RpcError), "%s: %r is not an RpcError" % (what, error))
        check(error.code() == code, "%s: status %s (%r), expected %s"
              % (what, error.code(), error.details(), code))

    def still_serving(self, after):
        """The server must keep serving the same connection after a cancelled call."""
        try:
            self.empty_call(self.empty_pb2.Empty(), timeout=self.timeout)
        except grpc.RpcError as error:
            raise CaseFailed("EmptyCall after %s failed: %s %r"
                             % (after, error.code(), error.details())) from error

    # --- cases -------------------------------------------------------------------

    def empty_unary(self):
        response = self.empty_call(self.empty_pb2.Empty(), timeout=self.timeout)
        check(isinstance(response, self.empty_pb2.Empty), "response is not an Empty")
        check(response.ByteSize() == 0, "response Empty is not zero bytes")

    def large_unary(self):
        request = self.messages.SimpleRequest(
            response_size=LARGE_RESPONSE_SIZE, payload=self.payload(LARGE_REQUEST_SIZE))
        response = self.unary_call(request, timeout=self.timeout)
        self.check_payload(response.payload, LARGE_RESPONSE_SIZE, "response")

    def client_streaming(self):
        requests = [self.messages.StreamingInputCallRequest(payload=self.payload(size))
                    for size in REQUEST_SIZES]
        response = self.streaming_input_call(iter(requests), timeout=self.timeout)
        check(response.aggregated_payload_size == 74922,
              "aggregated_payload_size %d, expected 74922" % response.aggregated_payload_size)

    def server_streaming(self):
        m = self.messages
        request = m.StreamingOutputCallRequest(
            response_parameters=[m.ResponseParameters(size=size) for size in RESPONSE_SIZES])
        responses = list(self.streaming_output_call(request, timeout=self.timeout))
        check(len(responses) == len(RESPONSE_SIZES),
              "%d responses, expected %d" % (len(responses), len(RESPONSE_SIZES)))
        for index, (response, size) in enumerate(zip(responses, RESPONSE_SIZES)):
            self.check_payload(response.payload, size, "response %d" % index)

    def ping_pong(self):
        pipe = _Pipe()
        call = self.full_duplex_call(pipe, timeout=self.timeout)
        try:
            for index, (request_size, response_size) in enumerate(zip(REQUEST_SIZES, RESPONSE_SIZES)):
                pipe.add(self.streaming_request(response_size, request_size))
                response = next(call)
                self.check_payload(response.payload, response_size, "response %d" % index)
            pipe.close()
            extra = list(call)
            check(not extra, "%d responses after half-close, expected none" % len(extra))
            check(call.code() == grpc.StatusCode.OK, "status %s, expected OK" % call.code())
        finally:
            pipe.close()

    def empty_stream(self):
        call = self.full_duplex_call(iter([]), timeout=self.timeout)
        responses = list(call)
        check(not responses, "%d responses, expected none" % len(responses))
        check(call.code() == grpc.StatusCode.OK, "status %s, expected OK" % call.code())

    def custom_metadata(self):
        metadata = ((INITIAL_METADATA_KEY, INITIAL_METADATA_VALUE),
                    (TRAILING_METADATA_KEY, TRAILING_METADATA_VALUE))

        def check_metadata(call, what):
            initial = [v for k, v in call.initial_metadata() if k == INITIAL_METADATA_KEY]
            check(initial == [INITIAL_METADATA_VALUE], "%s: initial metadata %s = %r, expected [%r]"
                  % (what, INITIAL_METADATA_KEY, initial, INITIAL_METADATA_VALUE))
            trailing = [v for k, v in call.trailing_metadata() if k == TRAILING_METADATA_KEY]
            check(trailing == [TRAILING_METADATA_VALUE], "%s: trailing metadata %s = %r, expected [%r]"
                  % (what, TRAILING_METADATA_KEY, trailing, TRAILING_METADATA_VALUE))

        request = self.messages.SimpleRequest(
            response_size=LARGE_RESPONSE_SIZE, payload=self.payload(LARGE_REQUEST_SIZE))
        response, call = self.unary_call.with_call(request, metadata=metadata, timeout=self.timeout)
        self.check_payload(response.payload, LARGE_RESPONSE_SIZE, "UnaryCall response")
        check_metadata(call, "UnaryCall")

        call = self.full_duplex_call(
            iter([self.streaming_request(LARGE_RESPONSE_SIZE, LARGE_REQUEST_SIZE)]),
            metadata=metadata, timeout=self.timeout)
        responses = list(call)
        check(len(responses) == 1, "FullDuplexCall: %d responses, expected 1" % len(responses))
        self.check_payload(responses[0].payload, LARGE_RESPONSE_SIZE, "FullDuplexCall response")
        check_metadata(call, "FullDuplexCall")

    def _echo_status(self, code, message):
        request = self.messages.SimpleRequest()
        request.response_status.code = code
        request.response_status.message = message
        expected = interop_protos.status_code_from_int(grpc, code)
        try:
            self.unary_call(request, timeout=self.timeout)
            raise CaseFailed("UnaryCall succeeded, expected status %s" % expected)
        except grpc.RpcError as error:
            self.expect_status(error, expected, "UnaryCall")
            check(error.details() == message, "UnaryCall: message %r, expected %r"
                  % (error.details(), message))
        return expected

    def status_code_and_message(self):
        code, message = 2, "test status message"
        expected = self._echo_status(code, message)
        call = self.full_duplex_call(
            iter([self.streaming_request(None, status=(code, message))]), timeout=self.timeout)
        try:
            responses = list(call)
            raise CaseFailed("FullDuplexCall ended OK with %d responses, expected status %s"
                             % (len(responses), expected))
        except grpc.RpcError as error:
            self.expect_status(error, expected, "FullDuplexCall")
            check(error.details() == message, "FullDuplexCall: message %r, expected %r"
                  % (error.details(), message))

    def special_status_message(self):
        self._echo_status(2, SPECIAL_STATUS_MESSAGE)

    def unimplemented_method(self):
        try:
            self.unimplemented_method_call(self.empty_pb2.Empty(), timeout=self.timeout)
            raise CaseFailed("call succeeded, expected UNIMPLEMENTED")
        except grpc.RpcError as error:
            self.expect_status(error, grpc.StatusCode.UNIMPLEMENTED, "UnimplementedCall")

    def unimplemented_service(self):
        try:
            self.unimplemented_service_call(self.empty_pb2.Empty(), timeout=self.timeout)
            raise CaseFailed("call succeeded, expected UNIMPLEMENTED")
        except grpc.RpcError as error:
            self.expect_status(error, grpc.StatusCode.UNIMPLEMENTED, "UnimplementedService")

    def cancel_after_begin(self):
        pipe = _Pipe()
        future = self.streaming_input_call.future(pipe, timeout=self.timeout)
        try:
            future.cancel()
            check(future.cancelled(), "call is not cancelled after cancel()")
            check(future.code() == grpc.StatusCode.CANCELLED,
                  "status %s, expected CANCELLED" % future.code())
        finally:
            pipe.close()
        self.still_serving("cancel_after_begin")

    def cancel_after_first_response(self):
        pipe = _Pipe()
        call = self.full_duplex_call(pipe, timeout=self.timeout)
        try:
            pipe.add(self.streaming_request(31415, 27182))
            response = next(call)
            self.check_payload(response.payload, 31415, "response")
            call.cancel()
            try:
                next(call)
                raise CaseFailed("a response arrived after cancel()")
            except grpc.RpcError as error:
                self.expect_status(error, grpc.StatusCode.CANCELLED, "after cancel()")
        finally:
            pipe.close()
        self.still_serving("cancel_after_first_response")

    def timeout_on_sleeping_server(self):
        pipe = _Pipe()
        call = self.full_duplex_call(pipe, timeout=0.001)
        try:
            pipe.add(self.streaming_request(None, 27182))
            try:
                next(call)
                raise CaseFailed("a response arrived, expected DEADLINE_EXCEEDED")
            except grpc.RpcError as error:
                self.expect_status(error, grpc.StatusCode.DEADLINE_EXCEEDED, "FullDuplexCall")
        finally:
            pipe.close()
        self.still_serving("timeout_on_sleeping_server")


CASES = (
    "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong",
    "empty_stream", "custom_metadata", "status_code_and_message", "special_status_message",
    "unimplemented_method", "unimplemented_service", "cancel_after_begin",
    "cancel_after_first_response", "timeout_on_sleeping_server",
)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True, help="PEM root(s) that sign the server certificate")
    parser.add_argument("--cert", required=True, help="PEM client certificate (mutual TLS)")
    parser.add_argument("--key", required=True, help="PEM client private key")
    parser.add_argument("--server-host-override", default=None,
                        help="name checked against the server certificate and sent as :authority")
    parser.add_argument("--case", default="all",
                        help="comma-separated case names, or 'all' (%s)" % ", ".join(CASES))
    parser.add_argument("--timeout", type=float, default=10.0, help="per-call deadline in seconds")
    parser.add_argument("--generated-dir", default=None,
                        help="folder with protoc-generated grpc/testing/*_pb2.py; generated when omitted")
    parser.add_argument("--proto-dir", default=interop_protos.DEFAULT_PROTO_DIR)
    args = parser.parse_args(argv)
    cases = CASES if args.case == "all" else tuple(c.strip() for c in args.case.split(","))
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error("unknown case(s): %s" % ", ".join(unknown))
    return args, cases


def main(argv):
    args, cases = parse_args(argv)
    try:
        pb = interop_protos.load(args.generated_dir, args.proto_dir)
        credentials = grpc.ssl_channel_credentials(
            root_certificates=interop_protos.read_file(args.ca),
            private_key=interop_protos.read_file(args.key),
            certificate_chain=interop_protos.read_file(args.cert))
    except Exception as error:  # set-up failure, not a case failure
        sys.stderr.write("set-up failed: %s\n" % error)
        return 2
    options = []
    if args.server_host_override:
        options.append(("grpc.ssl_target_name_override", args.server_host_override))
        options.append(("grpc.default_authority", args.server_host_override))
    target = "%s:%d" % (args.host, args.port)
    failed = 0
    with grpc.secure_channel(target, credentials, options=options) as channel:
        client = Client(channel, pb, args.timeout)
        for case in cases:
            try:
                getattr(client, case)()
                print("PASS %s" % case, flush=True)
            except CaseFailed as error:
                failed += 1
                print("FAIL %s: %s" % (case, error), flush=True)
            except grpc.RpcError as error:
                failed += 1
                print("FAIL %s: unexpected status %s %r" % (case, error.code(), error.details()),
                      flush=True)
            except Exception as error:  # report, keep running the other cases
                failed += 1
                print("FAIL %s: %s: %s" % (case, type(error).__name__, error), flush=True)
                traceback.print_exc(file=sys.stderr)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
