package io.sysfleet.template;

/**
 * Jinja2's strict undefined value, as Ansible uses it: the result of naming a variable, attribute, key or index
 * that does not exist. Only {@code is defined}, {@code is undefined}, {@code default} and attribute access on it
 * (which gives another Undefined) accept it; anything else is the error {@link #message()}.
 */
record Undefined(String name, String hint) {

    static Undefined variable(String name) {
        return new Undefined(name, null);
    }

    /** {@code base.attr} (or {@code base[key]}) where base is undefined or lacks the attribute. */
    Undefined attribute(String attr) {
        return new Undefined(name + "." + attr, hint);
    }

    String message() {
        return hint != null ? hint : "'" + name + "' is undefined";
    }
}
