"""Class: a teacher opens a room and poses questions; students join by code."""

from xent.classroom import ui as classroom

classroom.class_page()
