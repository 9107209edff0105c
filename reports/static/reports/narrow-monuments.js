'use strict';
// A monument box offers only the monuments of the site chosen on the same page: the report's
// site, or the site of the report a photo belongs to. Each autocomplete request for a
// monument carries that choice (the server narrows by it: MonumentWithReportsAdmin).
(function($) {
    $.ajaxPrefilter(function(options) {
        if (typeof options.data !== 'string' || !options.url ||
                options.url.indexOf('/autocomplete/') === -1) {
            return;
        }
        const params = new URLSearchParams(options.data);
        if (params.get('field_name') !== 'monument') {
            return;
        }
        const site = document.getElementById('id_site');
        const report = document.getElementById('id_report');
        if (site && site.value) {
            params.set('site', site.value);
        } else if (report && report.value) {
            params.set('report', report.value);
        }
        options.data = params.toString();
    });
})(django.jQuery);
