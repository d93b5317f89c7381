// Zapier's production wrapper `require`s this file and uses its export as the app, without
// unwrapping `.default`, so the compiled bundle's default export is handed over here.
module.exports = require('./dist/index.js').default;
