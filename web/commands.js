// The upload page's request as terminal commands (curl for HTTP, grpcurl for gRPC), built from the
// form's fields exactly as the API reads them. Plain script, loaded before app.js.
(function () {
  'use strict';

  /** The form's options: operations in order, format, quality (as the API reads them). */
  function options(form) {
    var ops = [];
    var format = 'png';
    var quality = '';
    new FormData(form).forEach(function (value, name) {
      if (name === 'op' && typeof value === 'string') {
        value.split(/[\s,]+/).forEach(function (op) {
          if (op) {
            ops.push(op);
          }
        });
      } else if (name === 'format') {
        format = value;
      } else if (name === 'quality') {
        quality = String(value).trim();
      }
    });
    return { ops: ops, format: format, quality: quality };
  }

  /** The curl and grpcurl commands that send {@code name} with the form's options. */
  window.requestCommands = function (form, name, location) {
    var o = options(form);
    var stem = name.replace(/\.[^.]*$/, '') || 'image';
    var out = stem + '-processed.' + (o.format === 'jpeg' ? 'jpg' : o.format);
    var curl = 'curl -sS -F ' + shellQuote('image=@' + name);
    o.ops.forEach(function (op) { curl += ' -F op=' + shellQuote(op); });
    curl += ' -F format=' + o.format;
    if (o.quality) {
      curl += ' -F quality=' + shellQuote(o.quality);
    }
    curl += ' ' + location.origin + '/api/v1/process -o ' + shellQuote(out);

    var request = '"image_data": "\'"$(base64 -w0 ' + shellQuote(name) + ')"\'"';
    if (o.ops.length) {
      request += ', "operations": [' + o.ops.map(grpcOperation).join(', ') + ']';
    }
    request += ', "format": "' + o.format.toUpperCase() + '"';
    if (/^\d+$/.test(o.quality)) {
      request += ', "quality": ' + Number(o.quality);
    }
    var grpcurl = ('grpcurl -plaintext -import-path proto -proto image.proto -max-msg-sz 134217728 \\\n'
        + "  -d '{" + request + "}' \\\n"
        + '  ' + location.hostname + ':50051 image.ImageService/ProcessImage \\\n'
        + '  | jq -r .imageData | base64 -d > ' + shellQuote(out));
    return { curl: curl, grpcurl: grpcurl };
  };

  /** One operation in the HTTP form ("resize:800:600:cover") as proto3 JSON. */
  function grpcOperation(op) {
    var p = op.split(':');
    switch (p[0]) {
      case 'swap': return '{"swap_channels": {}}';
      case 'gray': return '{"grayscale": {}}';
      case 'orient': return '{"auto_orient": {}}';
      case 'rotate': return '{"rotate": {"degrees": ' + num(p[1]) + '}}';
      case 'flip': return '{"flip": {"horizontal": ' + /h/.test(p[1] || '') + ', "vertical": ' + /v/.test(p[1] || '') + '}}';
      case 'crop': return '{"crop": {"x": ' + num(p[1]) + ', "y": ' + num(p[2]) + ', "width": ' + num(p[3])
          + ', "height": ' + num(p[4]) + '}}';
      case 'resize': return '{"resize": {"width": ' + num(p[1]) + ', "height": ' + num(p[2]) + ', "fit": "'
          + (p[3] || 'contain').toUpperCase().replace(/[^A-Z]/g, '') + '"}}';
      default: return '{"' + op.replace(/[^a-z_]/gi, '') + '": {}}';
    }
  }

  function num(text) {
    var n = parseInt(text, 10);
    return isNaN(n) ? 0 : n;
  }

  function shellQuote(text) {
    return /^[\w@%+=:,.\/-]+$/.test(text) ? text : "'" + String(text).replace(/'/g, "'\\''") + "'";
  }

}());
