/* Resident ID numbers (GB 11643-1999) checked on the device with the server's rules:
 * 17 digits and a check character (ISO 7064 MOD 11-2), a real birth date not in the future
 * (the device's own local date), a region code python-stdnum knows at any date (the code says
 * where the number was issued, never compared with the birth year). */
(function (global) {
  "use strict";

  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const CHECK = "10X98765432";

  function compact(value) {
    return (value || "").normalize("NFKC").replace(/\s+/g, "").toUpperCase();
  }

  function checkCharacter(first17) {
    let sum = 0;
    for (let i = 0; i < 17; i += 1) {
      sum += Number(first17[i]) * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }

  function knownRegion(code, regions) {
    if (!regions) {
      return true; // not loaded yet: the server checks it on sync
    }
    const counties = regions[code.slice(0, 2)];
    return Boolean(counties) && counties.split(" ").includes(code.slice(2, 6));
  }

  /* The device's local date as YYYY-MM-DD (not UTC: in China the UTC date lags until 08:00). */
  function localToday() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* Whole years of age on a day, both as YYYY-MM-DD. */
  function ageOn(birthDate, day) {
    const age = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
    return day.slice(5) < birthDate.slice(5) ? age - 1 : age;
  }

  /* Returns {ok: true, number, birthDate: "YYYY-MM-DD", sex: "M"|"F"} or {ok: false, error}
   * where error names the message: empty, length, format, check, date, future, region. */
  function parse(value, regions, today) {
    const number = compact(value);
    if (!number) return { ok: false, error: "empty" };
    if (number.length !== 18) return { ok: false, error: "length" };
    if (!/^\d{17}[\dX]$/.test(number)) return { ok: false, error: "format" };
    if (checkCharacter(number) !== number[17]) return { ok: false, error: "check" };
    const y = Number(number.slice(6, 10));
    const m = Number(number.slice(10, 12));
    const d = Number(number.slice(12, 14));
    const birth = new Date(Date.UTC(y, m - 1, d));
    if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
      return { ok: false, error: "date" };
    }
    const birthDate = number.slice(6, 10) + "-" + number.slice(10, 12) + "-" + number.slice(12, 14);
    if (birthDate > (today || localToday())) return { ok: false, error: "future" };
    if (!knownRegion(number, regions)) return { ok: false, error: "region" };
    return { ok: true, number, birthDate, sex: Number(number[16]) % 2 ? "M" : "F" };
  }

  global.IdCard = { parse, compact, localToday, ageOn };
})(window);
