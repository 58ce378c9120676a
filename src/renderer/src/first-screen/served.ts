// The first screen served inside the page (shared/first-screen.ts), while the app has not replaced it. Its own
// module, free of imports: the page's entry (main.tsx) asks before it loads the app.
export const servedScreen = (): Element | null => document.querySelector('#root > .first-screen');
