#!/usr/bin/env node
// grpc.testing interop client on @grpc/grpc-js, over mutual TLS.
//
// Runs the client procedures of grpc/grpc doc/interop-test-descriptions.md against a
// TestService server and prints one line per case: `PASS case` or `FAIL case: reason`.
// Exits 0 when every case passed, 1 otherwise, 2 on bad arguments or set-up errors.
// The .proto files are loaded at run time with @grpc/proto-loader.
'use strict';

const fs = require('fs');
const path = require('path');

let grpc;
let protoLoader;
try {
  grpc = require('@grpc/grpc-js');
  protoLoader = require('@grpc/proto-loader');
} catch (error) {
  process.stderr.write(`@grpc/grpc-js or @grpc/proto-loader is missing (run \`npm ci\` in ${__dirname}): ${error.message}\n`);
  process.exit(2);
}

const DEFAULT_PROTO_DIR = path.resolve(__dirname, '..', '..', 'Transmission.Testing', 'Protos');

const INITIAL_METADATA_KEY = 'x-grpc-test-echo-initial';
const INITIAL_METADATA_VALUE = 'test_initial_metadata_value';
const TRAILING_METADATA_KEY = 'x-grpc-test-echo-trailing-bin';
const TRAILING_METADATA_VALUE = Buffer.from([0xab, 0xab, 0xab]);

// From the interop descriptions: request sizes pair with response sizes.
const REQUEST_SIZES = [27182, 8, 1828, 45904];
const RESPONSE_SIZES = [31415, 9, 2653, 58979];
const LARGE_REQUEST_SIZE = 271828;
const LARGE_RESPONSE_SIZE = 314159;

const SPECIAL_STATUS_MESSAGE = '\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \u{1f608}\t\n';

class CaseFailed extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailed(message);
  }
}

function codeName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) || String(code);
}

function payload(size) {
  return { body: Buffer.alloc(size) };
}

function checkPayload(p, size, what) {
  const body = p && p.body ? p.body : Buffer.alloc(0);
  check(body.length === size, `${what}: payload body is ${body.length} bytes, expected ${size}`);
  check(body.every((b) => b === 0), `${what}: payload body is not all zeros`);
}

function streamingRequest(responseSize, requestSize, status) {
  const request = {
    response_parameters: responseSize === null ? [] : [{ size: responseSize }],
    payload: payload(requestSize || 0),
  };
  if (status) {
    request.response_status = { code: status.code, message: status.message };
  }
  return request;
}

function expectStatus(error, code, what) {
  check(error && typeof error.code === 'number', `${what}: ${error} is not a gRPC error`);
  check(error.code === code,
    `${what}: status ${codeName(error.code)} (${JSON.stringify(error.details)}), expected ${codeName(code)}`);
}

// Reads a response stream message by message; next() resolves to {value} or {done: true},
// or rejects with the call's error status.
class Reader {
  constructor(call) {
    this.items = [];
    this.waiters = [];
    this.ended = false;
    this.error = null;
    this.metadata = new Promise((resolve) => call.on('metadata', resolve));
    this.status = new Promise((resolve) => call.on('status', resolve));
    call.on('data', (message) => {
      this.items.push(message);
      this.flush();
    });
    call.on('end', () => {
      this.ended = true;
      this.flush();
    });
    call.on('error', (error) => {
      this.error = error;
      this.flush();
    });
  }

  flush() {
    while (this.waiters.length > 0) {
      if (this.items.length > 0) {
        this.waiters.shift().resolve({ value: this.items.shift() });
      } else if (this.error) {
        this.waiters.shift().reject(this.error);
      } else if (this.ended) {
        this.waiters.shift().resolve({ done: true });
      } else {
        return;
      }
    }
  }

  next() {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.flush();
    });
  }

  async readAll() {
    const all = [];
    for (;;) {
      const item = await this.next();
      if (item.done) {
        return all;
      }
      all.push(item.value);
    }
  }
}

class Client {
  constructor(client, unimplementedClient, timeoutSeconds) {
    this.client = client;
    this.unimplementedClient = unimplementedClient;
    this.timeoutSeconds = timeoutSeconds;
  }

  options(timeoutSeconds) {
    return { deadline: new Date(Date.now() + 1000 * (timeoutSeconds === undefined ? this.timeoutSeconds : timeoutSeconds)) };
  }

  // Unary or client-streaming call with callback → {call, response, metadata, status}.
  unary(target, method, request, metadata) {
    let call;
    const response = new Promise((resolve, reject) => {
      const callback = (error, value) => (error ? reject(error) : resolve(value));
      const md = metadata || new grpc.Metadata();
      call = request === undefined
        ? target[method](md, this.options(), callback)
        : target[method](request, md, this.options(), callback);
    });
    const metadataPromise = new Promise((resolve) => call.on('metadata', resolve));
    const status = new Promise((resolve) => call.on('status', resolve));
    return { call, response, metadata: metadataPromise, status };
  }

  async stillServing(after) {
    try {
      await this.unary(this.client, 'EmptyCall', {}).response;
    } catch (error) {
      throw new CaseFailed(`EmptyCall after ${after} failed: ${codeName(error.code)} ${JSON.stringify(error.details)}`);
    }
  }

  async empty_unary() {
    const response = await this.unary(this.client, 'EmptyCall', {}).response;
    check(response !== null && typeof response === 'object', 'response is not an Empty');
    check(Object.keys(response).length === 0, `response Empty has fields: ${JSON.stringify(response)}`);
  }

  async large_unary() {
    const response = await this.unary(this.client, 'UnaryCall',
      { response_size: LARGE_RESPONSE_SIZE, payload: payload(LARGE_REQUEST_SIZE) }).response;
    checkPayload(response.payload, LARGE_RESPONSE_SIZE, 'response');
  }

  async client_streaming() {
    const u = this.unary(this.client, 'StreamingInputCall', undefined);
    for (const size of REQUEST_SIZES) {
      u.call.write({ payload: payload(size) });
    }
    u.call.end();
    const response = await u.response;
    check(response.aggregated_payload_size === 74922,
      `aggregated_payload_size ${response.aggregated_payload_size}, expected 74922`);
  }

  async server_streaming() {
    const call = this.client.StreamingOutputCall(
      { response_parameters: RESPONSE_SIZES.map((size) => ({ size })) }, this.options());
    const responses = await new Reader(call).readAll();
    check(responses.length === RESPONSE_SIZES.length,
      `${responses.length} responses, expected ${RESPONSE_SIZES.length}`);
    responses.forEach((r, i) => checkPayload(r.payload, RESPONSE_SIZES[i], `response ${i}`));
  }

  async ping_pong() {
    const call = this.client.FullDuplexCall(this.options());
    const reader = new Reader(call);
    for (let i = 0; i < REQUEST_SIZES.length; i++) {
      call.write(streamingRequest(RESPONSE_SIZES[i], REQUEST_SIZES[i]));
      const item = await reader.next();
      check(!item.done, `stream ended before response ${i}`);
      checkPayload(item.value.payload, RESPONSE_SIZES[i], `response ${i}`);
    }
    call.end();
    const rest = await reader.readAll();
    check(rest.length === 0, `${rest.length} responses after half-close, expected none`);
    const status = await reader.status;
    check(status.code === grpc.status.OK, `status ${codeName(status.code)}, expected OK`);
  }

  async empty_stream() {
    const call = this.client.FullDuplexCall(this.options());
    const reader = new Reader(call);
    call.end();
    const responses = await reader.readAll();
    check(responses.length === 0, `${responses.length} responses, expected none`);
    const status = await reader.status;
    check(status.code === grpc.status.OK, `status ${codeName(status.code)}, expected OK`);
  }

  async custom_metadata() {
    const metadata = () => {
      const md = new grpc.Metadata();
      md.set(INITIAL_METADATA_KEY, INITIAL_METADATA_VALUE);
      md.set(TRAILING_METADATA_KEY, TRAILING_METADATA_VALUE);
      return md;
    };
    const checkMetadata = (initial, trailing, what) => {
      const i = initial.get(INITIAL_METADATA_KEY);
      check(i.length === 1 && i[0] === INITIAL_METADATA_VALUE,
        `${what}: initial metadata ${INITIAL_METADATA_KEY} = ${JSON.stringify(i)}, expected ["${INITIAL_METADATA_VALUE}"]`);
      const t = trailing.get(TRAILING_METADATA_KEY);
      check(t.length === 1 && Buffer.isBuffer(t[0]) && t[0].equals(TRAILING_METADATA_VALUE),
        `${what}: trailing metadata ${TRAILING_METADATA_KEY} = ${t.map((v) => Buffer.from(v).toString('hex'))}, expected [ababab]`);
    };

    const u = this.unary(this.client, 'UnaryCall',
      { response_size: LARGE_RESPONSE_SIZE, payload: payload(LARGE_REQUEST_SIZE) }, metadata());
    const response = await u.response;
    checkPayload(response.payload, LARGE_RESPONSE_SIZE, 'UnaryCall response');
    checkMetadata(await u.metadata, (await u.status).metadata, 'UnaryCall');

    const call = this.client.FullDuplexCall(metadata(), this.options());
    const reader = new Reader(call);
    call.write(streamingRequest(LARGE_RESPONSE_SIZE, LARGE_REQUEST_SIZE));
    call.end();
    const responses = await reader.readAll();
    check(responses.length === 1, `FullDuplexCall: ${responses.length} responses, expected 1`);
    checkPayload(responses[0].payload, LARGE_RESPONSE_SIZE, 'FullDuplexCall response');
    checkMetadata(await reader.metadata, (await reader.status).metadata, 'FullDuplexCall');
  }

  async echoStatusUnary(code, message) {
    try {
      await this.unary(this.client, 'UnaryCall', { response_status: { code, message } }).response;
    } catch (error) {
      expectStatus(error, code, 'UnaryCall');
      check(error.details === message,
        `UnaryCall: message ${JSON.stringify(error.details)}, expected ${JSON.stringify(message)}`);
      return;
    }
    throw new CaseFailed(`UnaryCall succeeded, expected status ${codeName(code)}`);
  }

  async status_code_and_message() {
    const code = grpc.status.UNKNOWN;
    const message = 'test status message';
    await this.echoStatusUnary(code, message);

    const call = this.client.FullDuplexCall(this.options());
    const reader = new Reader(call);
    call.write(streamingRequest(null, 0, { code, message }));
    call.end();
    let responses;
    try {
      responses = await reader.readAll();
    } catch (error) {
      expectStatus(error, code, 'FullDuplexCall');
      check(error.details === message,
        `FullDuplexCall: message ${JSON.stringify(error.details)}, expected ${JSON.stringify(message)}`);
      return;
    }
    throw new CaseFailed(`FullDuplexCall ended OK with ${responses.length} responses, expected ${codeName(code)}`);
  }

  async special_status_message() {
    await this.echoStatusUnary(grpc.status.UNKNOWN, SPECIAL_STATUS_MESSAGE);
  }

  async unimplemented_method() {
    try {
      await this.unary(this.client, 'UnimplementedCall', {}).response;
    } catch (error) {
      expectStatus(error, grpc.status.UNIMPLEMENTED, 'UnimplementedCall');
      return;
    }
    throw new CaseFailed('call succeeded, expected UNIMPLEMENTED');
  }

  async unimplemented_service() {
    try {
      await this.unary(this.unimplementedClient, 'UnimplementedCall', {}).response;
    } catch (error) {
      expectStatus(error, grpc.status.UNIMPLEMENTED, 'UnimplementedService');
      return;
    }
    throw new CaseFailed('call succeeded, expected UNIMPLEMENTED');
  }

  async cancel_after_begin() {
    const u = this.unary(this.client, 'StreamingInputCall', undefined);
    u.call.cancel();
    try {
      await u.response;
    } catch (error) {
      expectStatus(error, grpc.status.CANCELLED, 'StreamingInputCall');
      await this.stillServing('cancel_after_begin');
      return;
    }
    throw new CaseFailed('call succeeded, expected CANCELLED');
  }

  async cancel_after_first_response() {
    const call = this.client.FullDuplexCall(this.options());
    const reader = new Reader(call);
    call.write(streamingRequest(31415, 27182));
    const item = await reader.next();
    check(!item.done, 'stream ended before the first response');
    checkPayload(item.value.payload, 31415, 'response');
    call.cancel();
    const status = await reader.status;
    check(status.code === grpc.status.CANCELLED, `status ${codeName(status.code)}, expected CANCELLED`);
    await this.stillServing('cancel_after_first_response');
  }

  async timeout_on_sleeping_server() {
    const call = this.client.FullDuplexCall(this.options(0.001));
    const reader = new Reader(call);
    call.write(streamingRequest(null, 27182));
    try {
      const item = await reader.next();
      throw new CaseFailed(item.done ? 'call ended OK, expected DEADLINE_EXCEEDED'
        : 'a response arrived, expected DEADLINE_EXCEEDED');
    } catch (error) {
      if (error instanceof CaseFailed) {
        throw error;
      }
      expectStatus(error, grpc.status.DEADLINE_EXCEEDED, 'FullDuplexCall');
    }
    await this.stillServing('timeout_on_sleeping_server');
  }
}

const CASES = [
  'empty_unary', 'large_unary', 'client_streaming', 'server_streaming', 'ping_pong',
  'empty_stream', 'custom_metadata', 'status_code_and_message', 'special_status_message',
  'unimplemented_method', 'unimplemented_service', 'cancel_after_begin',
  'cancel_after_first_response', 'timeout_on_sleeping_server',
];

function usage(message) {
  process.stderr.write(`${message}\n`
    + 'usage: interop_client.js --port N --ca CA.pem --cert CLIENT.pem --key CLIENT.key\n'
    + '         [--host 127.0.0.1] [--server-host-override NAME] [--case all|a,b,...]\n'
    + '         [--timeout SECONDS] [--proto-dir DIR]\n'
    + `cases: ${CASES.join(', ')}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { host: '127.0.0.1', case: 'all', timeout: 10, 'proto-dir': DEFAULT_PROTO_DIR };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) {
      usage(`unexpected argument ${argv[i]}`);
    }
    const value = match[2] !== undefined ? match[2] : argv[++i];
    if (value === undefined) {
      usage(`--${match[1]} needs a value`);
    }
    args[match[1]] = value;
  }
  for (const required of ['port', 'ca', 'cert', 'key']) {
    if (!args[required]) {
      usage(`--${required} is required`);
    }
  }
  const known = ['host', 'port', 'ca', 'cert', 'key', 'server-host-override', 'case', 'timeout', 'proto-dir'];
  const unknownFlags = Object.keys(args).filter((k) => !known.includes(k));
  if (unknownFlags.length > 0) {
    usage(`unknown option(s): ${unknownFlags.map((k) => `--${k}`).join(', ')}`);
  }
  const cases = args.case === 'all' ? CASES : args.case.split(',').map((c) => c.trim());
  const unknownCases = cases.filter((c) => !CASES.includes(c));
  if (unknownCases.length > 0) {
    usage(`unknown case(s): ${unknownCases.join(', ')}`);
  }
  args.timeout = Number(args.timeout);
  return { args, cases };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CaseFailed(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const { args, cases } = parseArgs(process.argv.slice(2));
  let testing;
  let credentials;
  try {
    const definition = protoLoader.loadSync('grpc/testing/test.proto', {
      includeDirs: [args['proto-dir']],
      keepCase: true,
      longs: Number,
      enums: Number,
      defaults: false,
    });
    testing = grpc.loadPackageDefinition(definition).grpc.testing;
    credentials = grpc.credentials.createSsl(
      fs.readFileSync(args.ca), fs.readFileSync(args.key), fs.readFileSync(args.cert));
  } catch (error) {
    process.stderr.write(`set-up failed: ${error.message}\n`);
    return 2;
  }
  const channelOptions = {};
  if (args['server-host-override']) {
    channelOptions['grpc.ssl_target_name_override'] = args['server-host-override'];
    channelOptions['grpc.default_authority'] = args['server-host-override'];
  }
  const target = `${args.host}:${args.port}`;
  const client = new testing.TestService(target, credentials, channelOptions);
  const unimplementedClient = new testing.UnimplementedService(target, credentials, channelOptions);
  const runner = new Client(client, unimplementedClient, args.timeout);
  let failed = 0;
  for (const name of cases) {
    try {
      await withTimeout(runner[name](), Math.ceil(args.timeout * 2000), name);
      process.stdout.write(`PASS ${name}\n`);
    } catch (error) {
      failed++;
      if (error instanceof CaseFailed) {
        process.stdout.write(`FAIL ${name}: ${error.message}\n`);
      } else if (error && typeof error.code === 'number') {
        process.stdout.write(`FAIL ${name}: unexpected status ${codeName(error.code)} ${JSON.stringify(error.details)}\n`);
      } else {
        process.stdout.write(`FAIL ${name}: ${error && error.stack ? error.stack : error}\n`);
      }
    }
  }
  client.close();
  unimplementedClient.close();
  return failed === 0 ? 0 : 1;
}

// A call left hanging by a failed case must not keep the process alive: exit shortly
// after the last case even if grpc-js still holds handles (the timer itself is unref'd).
function finish(code) {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
}

main().then(finish, (error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  finish(2);
});
