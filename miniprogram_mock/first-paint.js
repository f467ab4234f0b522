// Runs before the first paint (a classic script in <head>, not a module), so 长辈版
// never flashes the standard layout. A file, not inline: the CSP forbids inline scripts.
if (localStorage.getItem("yibao.elder") === "1") document.documentElement.classList.add("elder");
