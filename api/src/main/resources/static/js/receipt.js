// The receipt page: its Print button (the page itself is the server's; nothing is loaded here).
document.getElementById('print')?.addEventListener('click', () => window.print());
