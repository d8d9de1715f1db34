// Load test of image.ImageService/ProcessImage over gRPC: the tutorial's scenario (ramp to 200
// virtual users in 1 s, hold for 10 s, every response must be OK), made configurable.
//
//   k6 run k6/grpc.js
//   k6 run -e TARGET=127.0.0.1:50051 -e IMAGE=../target/samples/photo-2mp.jpg -e RECONNECT=false k6/grpc.js
//
// Environment (all optional):
//   TARGET       host:port of the gRPC server                     (default 127.0.0.1:50051)
//   IMAGE        image to send, relative to this script           (default ../target/samples/photo-0.3mp.jpg)
//   VUS          virtual users, each with one call in flight       (default 200)
//   RAMP, HOLD   ramp-up time, then time at VUS                   (default 1s, 10s)
//   RECONNECT    true: connect and close around every call, as the tutorial's test does;
//                false: each VU connects once and keeps its connection (default true)
//   REFLECT      true: learn the service from the server's reflection service instead of
//                loading ../proto/image.proto (the server must offer reflection) (default false)
//   TIMEOUT      deadline of each call                           (default 60s)
//   P95_MS       threshold on the 95th percentile of call duration, in ms (default 10000)
import grpc from 'k6/net/grpc';
import encoding from 'k6/encoding';
import { check } from 'k6';

const PROTO_DIRS = ['../proto'];
const PROTO_FILE = 'image.proto';
const METHOD = 'image.ImageService/ProcessImage';
// Base64 of the 8-byte PNG signature: bytes fields arrive base64-encoded.
const PNG_SIGNATURE_B64 = 'iVBORw0KGgo';

const TARGET = __ENV.TARGET || '127.0.0.1:50051';
const IMAGE = __ENV.IMAGE || '../target/samples/photo-0.3mp.jpg';
const VUS = parseInt(__ENV.VUS || '200', 10);
const RECONNECT = (__ENV.RECONNECT || 'true') === 'true';
const REFLECT = (__ENV.REFLECT || 'false') === 'true';
const TIMEOUT = __ENV.TIMEOUT || '60s';
// Processed photos are large PNGs: gRPC's usual 4 MiB limit would refuse a 2 MP answer.
const MAX_RECEIVE_BYTES = 512 * 1024 * 1024;

export const options = {
  stages: [
    { duration: __ENV.RAMP || '1s', target: VUS },
    { duration: __ENV.HOLD || '10s', target: VUS },
  ],
  thresholds: {
    // Every check must pass, and calls must be fast enough; otherwise k6 exits non-zero.
    checks: ['rate==1.0'],
    grpc_req_duration: [`p(95)<${__ENV.P95_MS || '10000'}`],
  },
};

const client = new grpc.Client();
if (!REFLECT) {
  // load() is only allowed in the init context.
  client.load(PROTO_DIRS, PROTO_FILE);
}

const imageB64 = encoding.b64encode(open(IMAGE, 'b'));

function connect() {
  client.connect(TARGET, {
    plaintext: true,
    reflect: REFLECT,
    timeout: TIMEOUT,
    maxReceiveSize: MAX_RECEIVE_BYTES,
  });
}

// Module state is per VU. A flag rather than "first iteration" so that a VU whose first connect
// failed tries again on its next iteration.
let connected = false;

export default function () {
  if (RECONNECT || !connected) {
    connect();
    connected = true;
  }

  const response = client.invoke(METHOD, { image_data: imageB64 }, { timeout: TIMEOUT });

  check(response, {
    'status is OK': (r) => r && r.status === grpc.StatusOK,
    // k6 hands the answer over as protobuf JSON, whose field names are lowerCamelCase.
    'answer is a PNG': (r) => r && r.message && typeof r.message.imageData === 'string'
      && r.message.imageData.startsWith(PNG_SIGNATURE_B64),
  });

  if (RECONNECT) {
    client.close();
    connected = false;
  }
}
