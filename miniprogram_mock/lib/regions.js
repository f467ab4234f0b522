// The region picker: provinces, then the cities of one province (GB/T 2260),
// from GET /regions and /regions?parent=.
import * as api from "../api.js";
import { h } from "./dom.js";
import { guard } from "./guard.js";

const cache = new Map();

async function load(parent) {
  const key = parent || "";
  if (!cache.has(key)) {
    const rows = await api.get(parent ? `/regions?parent=${encodeURIComponent(parent)}` : "/regions");
    cache.set(key, rows);
  }
  return cache.get(key);
}

function options(select, rows, placeholder) {
  select.replaceChildren(h("option", { value: "" }, placeholder),
                         ...rows.map((r) => h("option", { value: r.code }, r.name)));
}

/** Wire a province select and a city select; `value` preselects a city code. */
export async function picker(provinceSelect, citySelect, value = "") {
  options(provinceSelect, await load(null), "请选择省份");
  options(citySelect, [], "请先选择省份");
  citySelect.disabled = true;
  provinceSelect.addEventListener("change", guard(() => chooseProvince(provinceSelect.value)));

  async function chooseProvince(code, city = "") {
    provinceSelect.value = code;
    if (!code) {
      options(citySelect, [], "请先选择省份");
      citySelect.disabled = true;
      return;
    }
    options(citySelect, await load(code), "请选择城市");
    citySelect.disabled = false;
    citySelect.value = city;
  }

  if (value) await chooseProvince(`${value.slice(0, 2)}0000`, value);
  return { set: (code) => chooseProvince(`${code.slice(0, 2)}0000`, code) };
}
