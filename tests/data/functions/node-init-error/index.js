// Throws while the module loads: an init error ("Error", "boom at init").
throw new Error('boom at init');
