/* The vendor of a MAC address, from nmap's own table of IEEE prefixes
 * (nmap-mac-prefixes), for the "MAC Address: ... (Vendor)" line and the XML's
 * vendor attribute. Without nmap installed, every vendor is unknown. */
#ifndef SCANTRACE_MAC_VENDOR_H
#define SCANTRACE_MAC_VENDOR_H

#include <glib.h>
#include <stdint.h>

#define MAC_PREFIXES_NMAP_PATH "/usr/share/nmap/nmap-mac-prefixes"

typedef struct mac_vendors mac_vendors;

/* Reads the table at first use; NULL path: an empty table. */
mac_vendors *mac_vendors_new(const char *path);
void mac_vendors_free(mac_vendors *v);

/* The vendor's name, or NULL when the prefix is not in the table. */
const char *mac_vendor(mac_vendors *v, const uint8_t mac[6]);

/* Whether a vendor was asked for, so that the table was read (or tried):
 * nmap -sn prints "Read data files from:" only then (it reads no other). */
gboolean mac_vendors_asked(const mac_vendors *v);

#endif
