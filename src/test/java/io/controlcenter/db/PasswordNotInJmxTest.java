package io.controlcenter.db;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DB_PASSWORD is in no JMX attribute: neither Camel's MBeans (the database service among them) nor any other. */
class PasswordNotInJmxTest {

    @Test
    void noMBeanAttributeShowsThePassword() throws Exception {
        try (ControlCenterApp app = ControlCenterApp.start(StartFailures.closedGateway())) {
            assertEquals(TestDatabase.USER, app.query("SELECT current_user::text AS u").get(0).get("u"),
                    "logged in with the password");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            List<String> shown = new ArrayList<>();
            int read = 0;
            for (ObjectName name : jmx.queryNames(null, null)) {
                for (MBeanAttributeInfo attribute : jmx.getMBeanInfo(name).getAttributes()) {
                    Object value;
                    try {
                        value = jmx.getAttribute(name, attribute.getName());
                    } catch (Exception | LinkageError notReadable) {
                        continue;
                    }
                    read++;
                    if (String.valueOf(value).contains(TestDatabase.PASSWORD)) {
                        shown.add(name + " " + attribute.getName());
                    }
                }
            }
            assertTrue(read > 100, "read " + read + " attributes");
            assertTrue(jmx.queryNames(new ObjectName("org.apache.camel:type=services,name=Database*,*"), null).size() == 1,
                    "the database service is managed by Camel");
            assertEquals(List.of(), shown);
        }
    }
}
