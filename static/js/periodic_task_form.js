/* The periodic task form of the admin (django-celery-beat): show the chosen crontab
   in words under the field, as the package's own inline script did. */
(function ($) {
  "use strict";
  const readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const help = JSON.parse(document.getElementById("crontab-help").textContent);
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    $(".field-crontab .help").text(help + " — " + (readable[$("#id_crontab").val()] || ""));
  });
})(django.jQuery);
