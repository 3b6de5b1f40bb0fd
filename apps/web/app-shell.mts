import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';
import type { Messages } from './src/i18n/en';

/**
 * The first paint without waiting for the JavaScript (ADR 0157). index.html's inline script draws
 * the frame of the screen the address names — the product's name, and the screen's heading in the
 * reader's language: the sign-in heading, or on the employee's appraisal "Appraisal of <her id>",
 * the very heading the page then renders — and asks for the chunks that screen and that language
 * will load, beside the entry instead of after it. The words come from the catalogues' built chunks
 * and the chunks' names from the build: neither is written twice. `npm run dev:web` has no built
 * chunks: no frame there.
 */

/** The lazy modules each screen opens first, and each language's catalogue (with antd's locale). */
const ROUTE_MODULES: Record<string, string[]> = {
  '/app/my-appraisal': ['src/features/appraisal/AppraisalPage.tsx', 'src/app/NotificationsBell.tsx'],
  '/app/appraisals/': ['src/features/appraisal/AppraisalPage.tsx', 'src/app/NotificationsBell.tsx'],
  '/app/inbox': ['src/features/inbox/InboxPage.tsx', 'src/app/NotificationsBell.tsx'],
  '/app/team': ['src/features/team/TeamBoardPage.tsx', 'src/app/NotificationsBell.tsx'],
  '/app/days': ['src/features/days/DaysPage.tsx', 'src/app/NotificationsBell.tsx'],
  '/app/sign-in': ['src/features/sign-in/SignInPage.tsx'],
};
const LANGUAGE_MODULES: Record<string, string[]> = {
  en: ['src/i18n/en.ts'],
  'zh-CN': ['src/i18n/zh-CN.ts', 'antd/es/locale/zh_CN.js'],
};

/** The words the frame shows, from each language's catalogue. */
function words(catalogue: Messages) {
  return {
    name: catalogue.app.name,
    signIn: catalogue.signIn.organisationTitle,
    appraisal: catalogue.appraisal.title,
    inbox: catalogue.inbox.title,
    team: catalogue.team.title,
  };
}

/** The chunk whose module is `module` (a path's end). */
function chunkOf(bundle: OutputBundle, module: string): OutputChunk {
  const chunks = Object.values(bundle).filter((item): item is OutputChunk => item.type === 'chunk');
  const chunk = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(module));
  if (!chunk) throw new Error(`app shell: no chunk of ${module} in the build`);
  return chunk;
}

/**
 * A catalogue as built: its chunk imports nothing and exports the catalogue alone (under a name
 * the bundler may have shortened), so it is evaluated as it is. Node cannot import the TypeScript.
 */
async function builtCatalogue(bundle: OutputBundle, module: string): Promise<Messages> {
  const chunk = chunkOf(bundle, module);
  if (chunk.imports.length > 0) throw new Error(`app shell: ${module} imports other chunks`);
  const exported = (await import(
    `data:text/javascript;base64,${Buffer.from(chunk.code).toString('base64')}`
  )) as Record<string, Messages>;
  return Object.values(exported)[0];
}

/** A module's chunk and every chunk it imports statically, as URLs. */
function filesOf(bundle: OutputBundle, module: string): string[] {
  const chunk = chunkOf(bundle, module);
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const imported = bundle[file];
    if (imported?.type === 'chunk') imported.imports.forEach(visit);
  };
  visit(chunk.fileName);
  return [...files].map((file) => `/${file}`);
}

/** The inline script (plain ES5, no dependency): runs before the entry is even fetched. */
function script(
  shellWords: Record<string, ReturnType<typeof words>>,
  routes: Record<string, string[]>,
  languages: Record<string, string[]>,
): string {
  return `(function () {
  var W = ${JSON.stringify(shellWords)}, R = ${JSON.stringify(routes)}, L = ${JSON.stringify(languages)};
  var query = /[?&]lang=([^&]*)/.exec(location.search), stored = null, session = null;
  try { stored = localStorage.getItem('i18nextLng'); session = JSON.parse(sessionStorage.getItem('verity.session') || 'null'); } catch (e) {}
  var language = /^zh/i.test((query && decodeURIComponent(query[1])) || stored || navigator.language || '') ? 'zh-CN' : 'en';
  var w = W[language], path = location.pathname;
  if (!session && path !== '/app/callback') path = '/app/sign-in';
  var heading = path === '/app/sign-in' ? w.signIn
    : path === '/app/my-appraisal' && session.employeeId ? w.appraisal.replace('{{name}}', session.employeeId)
    : path === '/app/inbox' ? w.inbox : path === '/app/team' ? w.team : '';
  var preload = (L[language] || []).slice();
  for (var route in R) if (path === route || (route.slice(-1) === '/' && path.indexOf(route) === 0)) preload = preload.concat(R[route]);
  for (var i = 0; i < preload.length; i++) {
    var link = document.createElement('link');
    link.rel = 'modulepreload'; link.crossOrigin = ''; link.href = preload[i];
    document.head.appendChild(link);
  }
  var text = function (tag, className, words) { var e = document.createElement(tag); e.className = className; e.textContent = words; return e; };
  var root = document.getElementById('root'), frame = document.createElement('div');
  frame.className = 'shell'; frame.setAttribute('aria-busy', 'true');
  document.documentElement.lang = language;
  if (path === '/app/sign-in') {
    var card = text('div', 'shell-card shell-sign-in', ''); card.appendChild(text('h1', '', heading)); frame.appendChild(card);
  } else {
    frame.appendChild(text('header', 'shell-header', w.name));
    var main = text('main', 'shell-main', ''), body = text('div', 'shell-card', '');
    if (heading) body.appendChild(text('h1', '', heading));
    body.appendChild(text('div', 'shell-bar', '')); body.appendChild(text('div', 'shell-bar', ''));
    main.appendChild(body); frame.appendChild(main);
  }
  root.appendChild(frame);
})();`;
}

export function appShell(): Plugin {
  return {
    name: 'verity-app-shell',
    transformIndexHtml: {
      order: 'post',
      async handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html.replace('<!-- app shell -->', '');
        // What index.html loads already (the entry and its imports) is not asked for twice.
        const entry = new Set(
          Object.values(bundle)
            .filter((item): item is OutputChunk => item.type === 'chunk' && item.isEntry)
            .flatMap((chunk) => filesOf(bundle, chunk.facadeModuleId!.replace(/\\/g, '/'))),
        );
        const filesFor = (table: Record<string, string[]>) =>
          Object.fromEntries(
            Object.entries(table).map(([key, modules]) => [
              key,
              [...new Set(modules.flatMap((module) => filesOf(bundle, module)))].filter(
                (file) => !entry.has(file),
              ),
            ]),
          );
        const shellWords = {
          en: words(await builtCatalogue(bundle, 'src/i18n/en.ts')),
          'zh-CN': words(await builtCatalogue(bundle, 'src/i18n/zh-CN.ts')),
        };
        const inline = script(shellWords, filesFor(ROUTE_MODULES), filesFor(LANGUAGE_MODULES));
        return html.replace('<!-- app shell -->', `<script>${inline}</script>`).replace(
          /<script type="module" crossorigin src="([^"]+)"><\/script>/,
          (_, entry: string) =>
            // The entry is fetched at once (preload) but run after the frame is painted: on a busy
            // machine its evaluation would otherwise come first and hold the first paint back.
            // A background tab paints no frame: the timeout starts it there.
            `<link rel="modulepreload" crossorigin href="${entry}">\n    <script type="module">` +
            `new Promise((go) => { requestAnimationFrame(() => setTimeout(go)); setTimeout(go, 100); })` +
            `.then(() => import(${JSON.stringify(entry)}));</script>`,
        );
      },
    },
  };
}
