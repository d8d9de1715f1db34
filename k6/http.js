// Load test of the HTTP endpoint POST /api/v1/process: the same scenario as grpc.js (ramp to 200
// virtual users in 1 s, hold for 10 s), the image sent as multipart/form-data in part "image",
// as the upload page does.
//
//   k6 run k6/http.js
//   k6 run -e TARGET=http://127.0.0.1:8080 -e IMAGE=../target/samples/photo-2mp.jpg k6/http.js
//
// Environment (all optional):
//   TARGET       base URL of the service                          (default http://127.0.0.1:8080)
//   IMAGE        image to send, relative to this script           (default ../target/samples/photo-0.3mp.jpg)
//   IMAGE_TYPE   media type of the image                          (default image/jpeg)
//   VUS          virtual users, each with one request in flight    (default 200)
//   RAMP, HOLD   ramp-up time, then time at VUS                   (default 1s, 10s)
//   RECONNECT    true: a new connection for every request (like grpc.js's default);
//                false: each VU keeps its keep-alive connection   (default true)
//   TIMEOUT      timeout of each request                          (default 60s)
//   P95_MS       threshold on the 95th percentile of request duration, in ms (default 10000)
import http from 'k6/http';
import { check } from 'k6';

const PROCESS_PATH = '/api/v1/process';
const PART_NAME = 'image';

const TARGET = (__ENV.TARGET || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const IMAGE = __ENV.IMAGE || '../target/samples/photo-0.3mp.jpg';
const IMAGE_TYPE = __ENV.IMAGE_TYPE || 'image/jpeg';
const VUS = parseInt(__ENV.VUS || '200', 10);
const RECONNECT = (__ENV.RECONNECT || 'true') === 'true';
const TIMEOUT = __ENV.TIMEOUT || '60s';

export const options = {
  stages: [
    { duration: __ENV.RAMP || '1s', target: VUS },
    { duration: __ENV.HOLD || '10s', target: VUS },
  ],
  // With one request per iteration, no reuse at all means a new connection per request.
  noConnectionReuse: RECONNECT,
  thresholds: {
    checks: ['rate==1.0'],
    http_req_duration: [`p(95)<${__ENV.P95_MS || '10000'}`],
  },
};

const image = open(IMAGE, 'b');
const fileName = IMAGE.split('/').pop();

function isPng(body) {
  if (!body || body.byteLength < 8) {
    return false;
  }
  const bytes = new Uint8Array(body, 0, 8);
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return signature.every((b, i) => bytes[i] === b);
}

export default function () {
  // An object with an http.file() value is sent as multipart/form-data.
  const body = {};
  body[PART_NAME] = http.file(image, fileName, IMAGE_TYPE);

  const response = http.post(`${TARGET}${PROCESS_PATH}`, body, {
    responseType: 'binary',
    timeout: TIMEOUT,
  });

  check(response, {
    'status is 200': (r) => r.status === 200,
    'answer is a PNG': (r) => (r.headers['Content-Type'] || '').startsWith('image/png') && isPng(r.body),
  });
}
