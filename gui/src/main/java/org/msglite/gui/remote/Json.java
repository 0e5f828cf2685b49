package org.msglite.gui.remote;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Lenient readers for monitor messages: a missing or null field gives the default (the protocol adds fields over time). */
public final class Json {
    private Json() {
    }

    public static String string(JsonObject o, String name, String otherwise) {
        JsonElement e = o == null ? null : o.get(name);
        return e == null || e.isJsonNull() ? otherwise : e.getAsString();
    }

    public static long number(JsonObject o, String name, long otherwise) {
        JsonElement e = o == null ? null : o.get(name);
        return e == null || !e.isJsonPrimitive() ? otherwise : e.getAsLong();
    }

    public static double decimal(JsonObject o, String name, double otherwise) {
        JsonElement e = o == null ? null : o.get(name);
        return e == null || !e.isJsonPrimitive() ? otherwise : e.getAsDouble();
    }

    public static boolean flag(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsBoolean();
    }

    public static JsonObject object(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }
}
