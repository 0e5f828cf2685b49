package org.msglite.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Base64;

/** One message as the bus serves it (prologic msgbus JSON): the per-topic id and the payload bytes. */
record BusMessage(long id, String topic, byte[] payload) {

    static BusMessage parse(String json) {
        try {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            JsonObject topic = object.getAsJsonObject("topic");
            return new BusMessage(object.get("id").getAsLong(), topic == null ? "" : topic.get("name").getAsString(),
                    Base64.getDecoder().decode(object.get("payload").getAsString()));
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                 | UnsupportedOperationException e) {
            throw CliFailure.error("the bus sent a message that is not msgbus JSON: " + shorten(json));
        }
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
