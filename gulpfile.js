// Copies the node and credential icons next to the compiled code, where n8n looks them up
// (`file:` icon paths are resolved relative to the compiled .js file).
const fs = require('fs');
const { src, dest } = require('gulp');

// dist/ starts empty on every build: a file moved or deleted in the source must not linger in the
// compiled package (npm pack ships all of dist/).
function clean(done) {
	fs.rmSync('dist', { recursive: true, force: true });
	done();
}

function buildIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest('dist/icons'));
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
