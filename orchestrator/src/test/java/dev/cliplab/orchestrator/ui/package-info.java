/**
 * Browser tests of the dashboard: a real Chromium, driven through its chromedriver by Selenium,
 * against a real platform on a fresh PostgreSQL database.
 */
package dev.cliplab.orchestrator.ui;
