// Copies the node and credential icons next to the compiled code, where n8n looks them up
// (`file:` icon paths are resolved relative to the compiled .js file).
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
