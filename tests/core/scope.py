"""The words of the out-of-scope declarations in tests/<app>/url_samples.py.

Each app's url_samples.py has, next to `samples(world)` (one in-scope example per URL
name), `out_of_scope_samples(world) -> {url_name: {role: kwargs | EVERY_OBJECT}}`: for
every URL that takes an object and every role that may use it, the kwargs of an object
that role must not reach (another city, another unit, another inspection, another
campaign), or EVERY_OBJECT where the role's scope is every object of that kind (the
province sees the whole campaign). Public URLs also name the key ANONYMOUS. A URL whose
objects are all visible to everyone may map to EVERY_OBJECT as a whole.
tests/core/test_scope_walk.py fails for a URL taking an object that does not declare this.
"""

ANONYMOUS = "anonymous"
EVERY_OBJECT = "every object"
