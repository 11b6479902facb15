// A fix applied to lit-html as it is bundled (scripts/build.mjs) and served to the browser tests
// (web-test-runner.config.js).
//
// lit-html 3.3.1 to 3.3.3: `removePart()` (directive-helpers.js) removes a part's content and its
// start marker but leaves its end marker in the DOM (lit/lit#5298, open; fix proposed in
// lit/lit#5299). `repeat` removes rows through it, so every row that leaves `<im-chat>`'s window
// left an empty comment behind: after a few thousand messages of history the log held tens of
// thousands of them, and each later removal got slower (the log's child list is walked).
//
// The fix restores what removePart did before 3.3.1: the end marker goes with the part. Parts
// removed by removePart are made by insertPart(), which gives each its own two markers. When the
// source matches neither the broken nor the fixed form, the build fails: lit changed and this
// file must be looked at again (dropped once lit-html ships the fix).

/** The files that define removePart: the production build and the development one. */
export const REMOVE_PART_FILE = /[\\/]lit-html[\\/](?:development[\\/])?directive-helpers\.js$/;

// Minified: `h=o=>{o._$AR(),o._$AA.remove()}` (_$AR clears the content, _$AA is the start marker).
const MINIFIED = /(\b[\w$]+)=>\{\1\._\$AR\(\),\1\._\$AA\.remove\(\)\}/;
// Development build.
const DEVELOPMENT =
  /(export const removePart = \((\w+)\) => \{\s*\2\._\$clear\(\);\s*\2\._\$startNode\.remove\(\);)/;

/**
 * Answers `source` (a directive-helpers.js of lit-html) with removePart removing the part's end
 * marker too; throws when the function is not recognized.
 */
export function fixRemovePart(source, file = 'directive-helpers.js') {
  if (MINIFIED.test(source)) {
    return source.replace(
      MINIFIED,
      (_all, p) => `${p}=>{${p}._$AR(),${p}._$AA.remove(),${p}._$AB?.remove()}`,
    );
  }
  if (DEVELOPMENT.test(source)) {
    return source.replace(DEVELOPMENT, (_all, head, p) => `${head}\n    ${p}._$endNode?.remove();`);
  }
  throw new Error(
    `${file}: lit-html's removePart() is not the one scripts/lit-fixes.mjs fixes (lit/lit#5298); ` +
      'check whether this lit-html still leaks end markers and update or drop the fix',
  );
}

/** The fix as an esbuild plugin. */
export const litFixesEsbuild = {
  name: 'imkit-lit-fixes',
  setup(build) {
    build.onLoad({ filter: REMOVE_PART_FILE }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      return {
        contents: fixRemovePart(await readFile(args.path, 'utf8'), args.path),
        loader: 'js',
      };
    });
  },
};

/** The fix as a @web/dev-server plugin (the browser tests). */
export const litFixesDevServer = {
  name: 'imkit-lit-fixes',
  transform(context) {
    if (REMOVE_PART_FILE.test(context.path) && typeof context.body === 'string') {
      return { body: fixRemovePart(context.body, context.path) };
    }
    return undefined;
  },
};
