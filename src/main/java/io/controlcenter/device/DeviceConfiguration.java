package io.controlcenter.device;

import javax.sql.DataSource;

import io.controlcenter.db.Database;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * Binds the device identity and its tokens ({@link DeviceStore}, on the database) as {@code deviceCredentials}, where
 * the {@code openclaw:} component finds them (listed in {@code camel.main.configuration-classes} after the database).
 */
public class DeviceConfiguration implements CamelConfiguration {

    public static final String BEAN = "deviceCredentials";

    @Override
    public void configure(CamelContext context) {
        DataSource dataSource = CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class);
        context.getRegistry().bind(BEAN, new DeviceStore(dataSource, DeviceSettings.load(context).supplied()));
    }
}
