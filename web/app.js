// Upload page: sends the chosen or dropped file to POST /api/v1/process and shows the result.
// XMLHttpRequest rather than fetch because only XHR reports upload progress, which matters for
// large photos on slow links. Plain script, no build step, nothing loaded from elsewhere.
(function () {
  'use strict';

  var ENDPOINT = '/api/v1/process';

  var form = document.getElementById('upload-form');
  var input = document.getElementById('image-input');
  var dropZone = document.getElementById('drop-zone');
  var submitButton = document.getElementById('submit-button');
  var progress = document.getElementById('progress');
  var statusText = document.getElementById('status-text');
  var errorBox = document.getElementById('error');
  var result = document.getElementById('result');
  var resultHeading = document.getElementById('result-heading');
  var originalImage = document.getElementById('original-image');
  var originalUnavailable = document.getElementById('original-unavailable');
  var processedImage = document.getElementById('processed-image');
  var downloadLink = document.getElementById('download-link');
  var requestSection = document.getElementById('request');
  var copyStatus = document.getElementById('copy-status');

  // API key (when the service wants one): asked once, kept in sessionStorage for this tab only.
  var KEY_STORAGE = 'image-service-api-key';
  var keyForm = document.getElementById('api-key-form');
  var keyInput = document.getElementById('api-key-input');
  var fileWaitingForKey = null;

  keyForm.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!keyInput.value) {
      return;
    }
    sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
    keyInput.value = '';
    keyForm.hidden = true;
    if (fileWaitingForKey) {
      var file = fileWaitingForKey;
      fileWaitingForKey = null;
      upload(file);
    }
  });

  function askForKey(file) {
    sessionStorage.removeItem(KEY_STORAGE);
    fileWaitingForKey = file;
    keyForm.hidden = false;
    keyInput.focus();
  }

  var objectUrls = [];
  var currentRequest = null;
  var chosenFile = null;

  document.documentElement.classList.add('js');

  input.addEventListener('change', function () {
    if (input.files && input.files.length > 0) {
      chosenFile = input.files[0];
      upload(chosenFile);
    }
  });

  // Changing an option updates the commands; "Process image" sends the file again with them.
  form.addEventListener('input', showCommands);
  form.addEventListener('change', showCommands);

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (chosenFile || (input.files && input.files.length > 0)) {
      upload(chosenFile || input.files[0]);
    } else {
      showError('Choose an image first.');
      input.focus();
    }
  });

  // Drag and drop onto the drop zone; dropping elsewhere must not make the browser open the file.
  ['dragenter', 'dragover'].forEach(function (type) {
    dropZone.addEventListener(type, function (event) {
      event.preventDefault();
      dropZone.classList.add('dragging');
    });
  });
  ['dragleave', 'dragend', 'drop'].forEach(function (type) {
    dropZone.addEventListener(type, function () {
      dropZone.classList.remove('dragging');
    });
  });
  dropZone.addEventListener('drop', function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || files.length === 0) {
      return;
    }
    if (files.length > 1) {
      showError('Drop one image at a time.');
      return;
    }
    try {
      input.files = files; // keeps the input showing the dropped file's name
    } catch (ignored) {
      // Old browsers cannot assign files; the upload does not depend on it.
    }
    chosenFile = files[0];
    upload(files[0]);
  });
  window.addEventListener('dragover', function (event) { event.preventDefault(); });
  window.addEventListener('drop', function (event) { event.preventDefault(); });

  function upload(file) {
    if (currentRequest) {
      currentRequest.abort();
    }
    resetResult();
    hideError();
    setBusy(true);
    showProgress(0, 'Uploading ' + file.name + '…');

    // The form's own fields, in order (the operations run in this order), and the file.
    var data = new FormData(form);
    data.set('image', file, file.name);
    showCommands();
    var xhr = new XMLHttpRequest();
    currentRequest = xhr;
    xhr.open('POST', ENDPOINT);
    var key = sessionStorage.getItem(KEY_STORAGE);
    if (key) {
      xhr.setRequestHeader('Authorization', 'Bearer ' + key);
    }
    xhr.responseType = 'blob';

    xhr.upload.addEventListener('progress', function (event) {
      if (event.lengthComputable) {
        var percent = Math.round((event.loaded / event.total) * 100);
        showProgress(percent, 'Uploading… ' + percent + ' % of ' + formatBytes(event.total));
      }
    });
    xhr.upload.addEventListener('load', function () {
      showProgress(null, 'Processing…');
    });
    xhr.addEventListener('load', function () {
      if (xhr !== currentRequest) {
        return;
      }
      currentRequest = null;
      setBusy(false);
      if (xhr.status === 200) {
        showResult(file, xhr);
      } else if (xhr.status === 401) {
        showError(key ? 'The service did not accept this API key: enter another one.'
          : 'The service needs an API key: enter it above.');
        askForKey(file);
      } else {
        readError(xhr).then(showError);
      }
    });
    xhr.addEventListener('error', function () {
      if (xhr !== currentRequest) {
        return;
      }
      currentRequest = null;
      setBusy(false);
      showError('Could not reach the image service. Check your connection and try again.');
    });
    xhr.send(data);
  }

  function showResult(file, xhr) {
    var blob = xhr.response;
    var width = xhr.getResponseHeader('X-Image-Width');
    var height = xhr.getResponseHeader('X-Image-Height');
    var dimensions = width && height ? width + ' × ' + height + ' px' : 'unknown';
    var loading = 2; // the result shows once both images are ready, so they appear together
    var millis = xhr.getResponseHeader('X-Processing-Time-Ms');
    var outputName = fileNameFrom(xhr.getResponseHeader('Content-Disposition')) || 'image.png';

    var originalUrl = remember(URL.createObjectURL(file));
    var processedUrl = remember(URL.createObjectURL(blob));

    originalImage.hidden = false;
    originalUnavailable.hidden = true;
    originalImage.onerror = function () {
      // e.g. TIFF: the service reads it, most browsers cannot show it.
      originalImage.hidden = true;
      originalUnavailable.hidden = false;
      setText('original-dimensions', 'unknown');
      ready();
    };
    originalImage.onload = function () {
      // As the browser shows it: upright by its EXIF orientation, like the service's result by default.
      setText('original-dimensions', originalImage.naturalWidth + ' × ' + originalImage.naturalHeight + ' px');
      ready();
    };
    processedImage.onload = ready;
    processedImage.onerror = ready;
    originalImage.src = originalUrl;
    processedImage.src = processedUrl;

    setText('original-name', file.name);
    setText('original-size', formatBytes(file.size));
    setText('original-format', xhr.getResponseHeader('X-Input-Format') || 'unknown');
    setText('processed-name', outputName);
    setText('processed-size', formatBytes(blob.size));
    setText('processed-dimensions', dimensions);
    setText('processing-time', millis ? millis + ' ms' : 'unknown');

    downloadLink.href = processedUrl;
    downloadLink.download = outputName;
    downloadLink.textContent = 'Download ' + outputName;

    function ready() {
      loading--;
      if (loading === 0) {
        result.hidden = false;
        hideProgress('Done: processed in ' + (millis ? millis + ' ms' : 'an unknown time') + '.');
        resultHeading.focus();
      }
    }
  }

  // --- the request as commands -------------------------------------------------------------

  function showCommands() {
    if (!chosenFile) {
      return;
    }
    var commands = window.requestCommands(form, chosenFile.name, location);
    setText('curl-command', commands.curl);
    setText('grpcurl-command', commands.grpcurl);
    requestSection.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var text = document.getElementById(button.getAttribute('data-copy')).textContent;
      var done = function () { copyStatus.textContent = 'Copied to the clipboard.'; };
      var failed = function () { copyStatus.textContent = 'Could not copy: select the command and copy it by hand.'; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, failed);
      } else {
        failed();
      }
    });
  });

  // The API answers errors with {"code": ..., "message": ...}; anything else (a proxy's HTML page,
  // say) gets a generic sentence rather than being dumped on the page.
  function readError(xhr) {
    var blob = xhr.response;
    var text = blob && blob.text ? blob.text() : Promise.resolve('');
    return text.then(function (body) {
      var message = null;
      try {
        var parsed = JSON.parse(body);
        if (parsed && typeof parsed.message === 'string') {
          message = parsed.message;
        }
      } catch (ignored) {
        // not JSON
      }
      return withRequestId(explain(xhr.status, message), xhr);
    }, function () {
      return withRequestId(explain(xhr.status, null), xhr);
    });
  }

  // The service's id of the request (X-Request-Id), so that a person can quote it and an operator
  // find it in the log; an internal error's message already names it.
  function withRequestId(error, xhr) {
    var id = xhr.getResponseHeader('X-Request-Id');
    if (id && error.detail.indexOf(id) < 0) {
      error.detail += ' Request id: ' + id + '.';
    }
    return error;
  }

  function explain(status, message) {
    var headline;
    if (status === 400 && message && /^(op|operation|operations|format|quality)\b/.test(message)) {
      return { headline: 'These options cannot be applied to this image.', detail: capitalize(message) + '.' };
    }
    switch (status) {
      case 400: headline = 'This file could not be read as an image.'; break;
      case 413: headline = 'This file is too large.'; break;
      case 415: headline = 'This image format is not supported.'; break;
      default:
        headline = status >= 500 ? 'The service failed to process the image.' : 'The upload was refused.';
    }
    return { headline: headline, detail: message ? capitalize(message) + '.' : 'HTTP status ' + status + '.' };
  }

  function showError(error) {
    hideProgress('');
    var headline = typeof error === 'string' ? error : error.headline;
    var detail = typeof error === 'string' ? '' : error.detail;
    errorBox.textContent = '';
    var strong = document.createElement('strong');
    strong.textContent = headline;
    errorBox.appendChild(strong);
    if (detail) {
      var span = document.createElement('span');
      span.textContent = detail;
      errorBox.appendChild(span);
    }
    errorBox.hidden = false;
  }

  function hideError() {
    errorBox.hidden = true;
    errorBox.textContent = '';
  }

  function resetResult() {
    result.hidden = true;
    objectUrls.forEach(function (url) { URL.revokeObjectURL(url); });
    objectUrls = [];
    originalImage.removeAttribute('src');
    processedImage.removeAttribute('src');
    downloadLink.setAttribute('href', '#');
  }

  function showProgress(percent, text) {
    progress.hidden = false;
    if (percent === null) {
      progress.removeAttribute('value'); // indeterminate: the server is working
    } else {
      progress.value = percent;
    }
    statusText.textContent = text;
  }

  function hideProgress(text) {
    progress.hidden = true;
    statusText.textContent = text;
  }

  function setBusy(busy) {
    submitButton.disabled = busy;
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  function remember(url) {
    objectUrls.push(url);
    return url;
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // filename*=UTF-8''... (RFC 6266) wins over the ASCII filename="..." fallback.
  function fileNameFrom(disposition) {
    if (!disposition) {
      return null;
    }
    var extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
    if (extended) {
      try {
        return decodeURIComponent(extended[1]);
      } catch (ignored) {
        // fall through to the plain name
      }
    }
    var plain = /filename\s*=\s*"([^"]*)"/i.exec(disposition);
    return plain ? plain[1] : null;
  }

  function formatBytes(bytes) {
    if (bytes < 1024) {
      return bytes + ' B';
    }
    var units = ['KiB', 'MiB', 'GiB'];
    var value = bytes;
    var unit = -1;
    do {
      value /= 1024;
      unit++;
    } while (value >= 1024 && unit < units.length - 1);
    return value.toFixed(value < 10 ? 1 : 0) + ' ' + units[unit];
  }
}());
