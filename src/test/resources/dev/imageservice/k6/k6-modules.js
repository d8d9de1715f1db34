// The parts of k6's JavaScript API that the scripts in k6/ use, played by K6Host (real gRPC
// calls, real HTTP requests, files read from disk) so that the scripts run unchanged without k6.
var __ENV = JSON.parse(String(__host.envJson()));
var __exports = {};

function open(path, mode) {
  var bytes = __host.open(String(path));
  return { __bytes: bytes, byteLength: bytes.length };
}

function __binary(bytes) {
  var buffer = new ArrayBuffer(bytes.length);
  var view = new Uint8Array(buffer);
  for (var i = 0; i < bytes.length; i++) {
    view[i] = bytes[i] & 0xFF;
  }
  return buffer;
}

var __modules = {
  'k6': {
    check: function (value, sets) {
      var all = true;
      for (var name in sets) {
        var passed = !!sets[name](value);
        __host.check(name, passed);
        all = all && passed;
      }
      return all;
    },
  },
  'k6/encoding': {
    b64encode: function (data) {
      return String(__host.base64(data.__bytes));
    },
  },
  'k6/net/grpc': (function () {
    function Client() {
    }
    Client.prototype.load = function (importPaths, file) {
      __host.grpcLoad(JSON.stringify(importPaths), String(file));
    };
    Client.prototype.connect = function (target, params) {
      __host.grpcConnect(String(target), JSON.stringify(params || {}));
    };
    Client.prototype.invoke = function (method, request, params) {
      return JSON.parse(String(__host.grpcInvoke(String(method), JSON.stringify(request), JSON.stringify(params || {}))));
    };
    Client.prototype.close = function () {
      __host.grpcClose();
    };
    return { Client: Client, StatusOK: 0 };
  })(),
  'k6/http': {
    file: function (data, filename, contentType) {
      return { __file: true, data: data, filename: filename, content_type: contentType || 'application/octet-stream' };
    },
    post: function (url, body, params) {
      for (var name in body) {
        var value = body[name];
        if (value && value.__file) {
          __host.httpFilePart(String(name), String(value.filename), String(value.content_type), value.data.__bytes);
        } else {
          __host.httpFieldPart(String(name), String(value));
        }
      }
      var response = JSON.parse(String(__host.httpPost(String(url), JSON.stringify(params || {}))));
      var bytes = __host.lastBody();
      response.body = (params && params.responseType === 'binary') ? __binary(bytes) : String(new java.lang.String(bytes, 'UTF-8'));
      return response;
    },
  },
};

function __module(name) {
  if (!(name in __modules)) {
    throw new Error('module ' + name + ' is not one the test plays: add it to k6-modules.js');
  }
  return __modules[name];
}
